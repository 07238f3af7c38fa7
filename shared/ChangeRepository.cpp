#include "ChangeRepository.h"

using namespace Qt::StringLiterals;

namespace salesbot {

Expected<ChangeMarks, DbError> ChangeRepository::marks()
{
    return guard([&] {
        QSqlQuery& q = m_db.exec(u"SELECT (SELECT CAST(max(updated_at) AS TEXT) FROM applications), "
                                 "(SELECT max(id) FROM applications), "
                                 "(SELECT number FROM applications ORDER BY id DESC LIMIT 1), "
                                 "(SELECT CAST(max(updated_at) AS TEXT) FROM packages)"_s,
                                 {}, u"looking for changes"_s);
        ChangeMarks marks;
        if (q.next()) {
            marks.applicationsUpdated = q.value(0).toString();
            marks.newestApplicationId = q.value(1).toLongLong();
            marks.newestApplicationNumber = q.value(2).toLongLong();
            marks.catalogUpdated = q.value(3).toString();
        }
        q.finish();
        return marks;
    });
}

} // namespace salesbot
