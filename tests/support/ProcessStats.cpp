#include "ProcessStats.h"

#include <QFile>
#include <QList>
#include <QString>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace salesbot::test {

namespace {

QString procFile(qint64 pid, const char* name)
{
    return pid == 0 ? u"/proc/self/%1"_s.arg(QLatin1StringView(name))
                    : u"/proc/%1/%2"_s.arg(pid).arg(QLatin1StringView(name));
}

} // namespace

qint64 peakRssKb(qint64 pid)
{
    QFile status(procFile(pid, "status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

double cpuSeconds(qint64 pid)
{
    QFile stat(procFile(pid, "stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    // After the command: state is field 3, utime and stime are fields 14 and 15 of the whole line.
    const double ticks = double(fields.value(11).toLongLong() + fields.value(12).toLongLong());
    return ticks / double(sysconf(_SC_CLK_TCK));
}

} // namespace salesbot::test
