#include "InstanceLockFile.h"

#include <QCoreApplication>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace salesbot {

InstanceLockFile::InstanceLockFile(QString path)
    : m_path(std::move(path))
{}

InstanceLockFile::~InstanceLockFile()
{
    if (m_fd >= 0)
        ::close(m_fd); // releases the lock; the file stays for the next engine
}

InstanceLockFile::Result InstanceLockFile::tryLock(QString* error)
{
    if (m_held)
        return Result::Held;
    const auto failed = [&](const char* what) {
        if (error)
            *error = u"cannot %1 the lock file %2: %3"_s.arg(QString::fromLatin1(what), m_path,
                                                             QString::fromLocal8Bit(std::strerror(errno)));
        return Result::Failed;
    };
    if (m_fd < 0) {
        m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (m_fd < 0)
            return failed("open");
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0)
        return errno == EWOULDBLOCK ? Result::HeldByAnother : failed("lock");
    m_held = true;
    // For a person looking: which process holds it. Nothing reads it back.
    const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid()) + '\n';
    // A write that fails (a full disk) changes nothing: the lock holds all the same.
    const bool written =
        ::ftruncate(m_fd, 0) == 0 && ::pwrite(m_fd, pid.constData(), size_t(pid.size()), 0) == pid.size();
    Q_UNUSED(written);
    return Result::Held;
}

} // namespace salesbot
