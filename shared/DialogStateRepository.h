#pragma once

// Where each user is in the dialog, stored so a form survives restarts.

#include "Repository.h"

#include <QDateTime>
#include <QJsonObject>

#include <optional>

namespace salesbot {

struct DialogState
{
    QString state;
    QJsonObject data;
    QDateTime updatedAt;
};

class DialogStateRepository final : public Repository
{
public:
    using Repository::Repository;

    Expected<std::optional<DialogState>, DbError> load(qint64 telegramId);
    Expected<void, DbError> save(qint64 telegramId, const QString& state, const QJsonObject& data);
    Expected<void, DbError> clear(qint64 telegramId);
};

} // namespace salesbot
