#include "ApplicationStatus.h"

using namespace Qt::StringLiterals;

namespace salesbot {

QList<ApplicationStatus> ApplicationStatuses::all()
{
    return {ApplicationStatus::New, ApplicationStatus::InProgress, ApplicationStatus::Done,
            ApplicationStatus::Rejected};
}

QString ApplicationStatuses::code(ApplicationStatus status)
{
    switch (status) {
    case ApplicationStatus::New:
        return u"new"_s;
    case ApplicationStatus::InProgress:
        return u"in_progress"_s;
    case ApplicationStatus::Done:
        return u"done"_s;
    case ApplicationStatus::Rejected:
        return u"rejected"_s;
    }
    return {};
}

std::optional<ApplicationStatus> ApplicationStatuses::fromCode(QStringView code)
{
    for (ApplicationStatus status : all()) {
        if (code == ApplicationStatuses::code(status))
            return status;
    }
    return std::nullopt;
}

bool ApplicationStatuses::isOpen(ApplicationStatus status)
{
    return status == ApplicationStatus::New || status == ApplicationStatus::InProgress;
}

QString ApplicationStatuses::displayName(ApplicationStatus status)
{
    switch (status) {
    case ApplicationStatus::New:
        return tr("New");
    case ApplicationStatus::InProgress:
        return tr("In progress");
    case ApplicationStatus::Done:
        return tr("Done");
    case ApplicationStatus::Rejected:
        return tr("Rejected");
    }
    return {};
}

bool ApplicationStatuses::canChange(ApplicationStatus from, ApplicationStatus to)
{
    if (from == to)
        return false;
    switch (from) {
    case ApplicationStatus::New:
        return true;
    case ApplicationStatus::InProgress:
        return to == ApplicationStatus::Done || to == ApplicationStatus::Rejected;
    case ApplicationStatus::Done:
    case ApplicationStatus::Rejected:
        return to == ApplicationStatus::InProgress; // reopen
    }
    return false;
}

} // namespace salesbot
