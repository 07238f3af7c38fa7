#pragma once

// What a benchmark reports about a process on Linux: peak resident memory and CPU time, from /proc.

#include <QtGlobal>

namespace salesbot::test {

// VmHWM in KiB (-1 when unknown); pid 0 means this process.
qint64 peakRssKb(qint64 pid = 0);
// User + system CPU seconds used so far; pid 0 means this process.
double cpuSeconds(qint64 pid = 0);

} // namespace salesbot::test
