// Hooks stackalloc small scratch (metric label buffers, header arrays, digits) on every request; zeroing
// it would cost more than using it. Every such buffer is written before it is read.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
