#pragma once

// What the dialog may ask of the world: facts about the user and the catalog, and the few changes it makes.
// The engine implements it over the repositories inside the update's transaction; tests use an in-memory
// fake. Implementations throw DbException on database failure, which rolls the whole update back.

#include "Application.h"
#include "ApplicationRepository.h"
#include "Package.h"

#include <QJsonObject>
#include <QList>

#include <optional>

namespace salesbot {

class DialogPort
{
public:
    virtual ~DialogPort() = default;

    // Active packages in display order.
    virtual const QList<Package>& packages() = 0;
    // The user's open (new or in progress) application, if any.
    virtual std::optional<Application> openApplication() = 0;
    // The user's most recent application, if any.
    virtual std::optional<Application> latestApplication() = 0;

    virtual CreateApplicationResult createApplication(const QString& name, const QString& phone,
                                                      const QString& packageCode) = 0;
    virtual Application updateContacts(qint64 applicationId, const QString& name, const QString& phone) = 0;
    virtual Application changePackage(qint64 applicationId, const QString& packageCode) = 0;
    // A bot_metrics event for this user.
    virtual void record(const QString& action, const QString& packageCode = {},
                        const QJsonObject& data = {}) = 0;
};

} // namespace salesbot
