// The hot path stackallocs header-list storage and number buffers on every check; zeroing them would cost
// more than using them. Every buffer is written before it is read (reads are sliced to the written length).
[module: System.Runtime.CompilerServices.SkipLocalsInit]
