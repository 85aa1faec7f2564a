// The hot path stackallocs scratch buffers (Distinct keys, decoded query values, UTF-16 for regexes,
// per-rule results) on every request; zeroing them would cost more than using them. Every buffer is
// written before it is read (reads are sliced to the written length).
[module: System.Runtime.CompilerServices.SkipLocalsInit]
