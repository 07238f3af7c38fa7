#pragma once

// An exclusive lock on a file beside the SQLite database that decides which engine on this host polls.

#include <QString>

namespace salesbot {

// Held with flock(2) on a file that is never deleted: the kernel releases it when the process ends, however
// it ends, so a crashed engine leaves nothing stale behind. (A pid written into a lock file is no proof: in a
// container every restarted engine is PID 1 again, and another host's pids mean nothing here.)
class InstanceLockFile final
{
public:
    explicit InstanceLockFile(QString path);
    ~InstanceLockFile();
    InstanceLockFile(const InstanceLockFile&) = delete;
    InstanceLockFile& operator=(const InstanceLockFile&) = delete;

    enum class Result
    {
        Held,          // this process holds it (now or already)
        HeldByAnother, // another process holds it
        Failed,        // the file cannot be opened or locked: `error` says why
    };
    Result tryLock(QString* error);
    bool isHeld() const { return m_held; }
    const QString& path() const { return m_path; }

private:
    QString m_path;
    int m_fd = -1;
    bool m_held = false;
};

} // namespace salesbot
