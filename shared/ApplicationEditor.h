#pragma once

// A manager's status change from the console in one transaction: the change (with the version the manager
// saw; a conflicting edit is refused with DbError::Kind::Conflict, never merged) and, when asked, the
// customer's notice queued for the engine. Notes go straight to ApplicationRepository::updateNote.

#include "Application.h"
#include "Repository.h"

namespace salesbot {

struct StatusChangeResult
{
    Application application;
    qint64 noticeId = 0; // the outbox row of the customer's notice; 0 when none was queued
    QString
        noticeSkipped; // why no notice went out although one was asked for (e.g. the user blocked the bot)
};

class ApplicationEditor final : public Repository
{
public:
    using Repository::Repository;

    Expected<StatusChangeResult, DbError> changeStatus(qint64 id, int expectedVersion,
                                                       ApplicationStatus status, const QString& actor,
                                                       bool notifyCustomer);

    // «Статус вашей заявки №N: В работе.» in the customer's language (Russian unless it is `en`): the bot's
    // words, not the console's, so they do not follow the operator's UI language.
    static QString noticeText(qint64 number, ApplicationStatus status, const QString& languageCode);
};

} // namespace salesbot
