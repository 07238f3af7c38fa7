#pragma once

// An application (lead) with its contacts and status, and the history entries recorded about it.

#include "ApplicationStatus.h"

#include <QDateTime>
#include <QString>

namespace salesbot {

struct Application
{
    qint64 id = 0;
    qint64 number = 0;
    qint64 userId = 0;
    qint64 telegramId = 0; // from users, for links and notifications
    QString username;      // from users
    QString name;
    QString phone;
    QString packageCode; // empty: no package chosen
    ApplicationStatus status = ApplicationStatus::New;
    QString managerNote;
    QString assignee;
    QDateTime createdAt;
    QDateTime updatedAt;
    int version = 0;
};

struct ApplicationEvent
{
    qint64 id = 0;
    qint64 applicationId = 0;
    QString actor; // "bot", or the console user
    QString
        kind; // created, status_changed, contacts_updated, package_changed, note_changed, assignee_changed
    QString oldValue;
    QString newValue;
    QDateTime createdAt;
};

} // namespace salesbot
