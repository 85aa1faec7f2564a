// The hot path stackallocs scratch buffers (decoded credentials, digests, rewritten paths) on every
// request; each is written before it is read and reads are sliced to the written length.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
