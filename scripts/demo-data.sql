-- Demo data for a PostgreSQL database migrated by `salesbot-engine migrate`: a few hundred prospects over the
-- last 60 days with applications in every status and the bot events behind them. Used for the README's
-- console pictures:  psql "$DATABASE_URL" -f scripts/demo-data.sql
BEGIN;
INSERT INTO users (telegram_id, username, first_name, last_name, language_code, created_at, last_seen_at)
SELECT 500000 + g,
       CASE WHEN g % 3 <> 0 THEN (ARRAY['anna_k','boris','vera_p','gleb_dev','daria','egor','zhanna','zoya_m',
                                          'ivan','kira','lev','maria'])[1 + g % 12] || g END,
       (ARRAY['Анна','Борис','Вера','Глеб','Дарья','Егор','Жанна','Зоя','Иван','Кира','Лев','Мария'])[1 + g % 12],
       CASE WHEN g % 5 = 4 THEN NULL
            WHEN g % 12 IN (1, 3, 5, 8, 10) THEN (ARRAY['Иванов','Соколов','Попов','Кузнецов','Новиков'])[1 + (g / 12) % 5]
            ELSE (ARRAY['Смирнова','Петрова','Васильева','Кузнецова','Новикова'])[1 + (g / 12) % 5] END,
       CASE WHEN g % 7 = 0 THEN 'en' ELSE 'ru' END,
       now() - ((g * 37) % 60) * interval '1 day' - ((g * 7919) % 86400) * interval '1 second',
       now() - ((g * 13) % 20) * interval '1 day'
FROM generate_series(1, 400) g;

INSERT INTO bot_metrics (telegram_id, action, package_code, data, created_at)
SELECT u.telegram_id, e.action, e.package, '{}', u.created_at + e.step * interval '40 seconds'
FROM users u
CROSS JOIN LATERAL (VALUES
    (0, 'start', NULL),
    (1, 'packages', NULL),
    (2, 'package_view', (ARRAY['basic','advanced','premium'])[1 + u.id % 3]),
    (3, CASE WHEN u.id % 4 = 0 THEN 'package_view' ELSE 'about' END, (ARRAY['premium','basic','advanced'])[1 + u.id % 3]),
    (4, CASE WHEN u.id % 5 < 3 THEN 'apply_start' ELSE 'free_text' END, NULL)
) AS e(step, action, package)
WHERE e.action IS NOT NULL AND u.telegram_id BETWEEN 500001 AND 500400;
UPDATE bot_metrics SET package_code = NULL WHERE action <> 'package_view' AND telegram_id BETWEEN 500001 AND 500400;

INSERT INTO applications (user_id, name, phone, package_code, status, assignee, manager_note, created_at, updated_at)
SELECT u.id, u.first_name || COALESCE(' ' || u.last_name, ''), '+7916' || lpad((1234000 + u.id)::text, 7, '0'),
       (ARRAY['basic','advanced','premium',NULL])[1 + u.id % 4],
       CASE WHEN (u.id / 5) % 10 < 3 THEN 'new' WHEN (u.id / 5) % 10 < 5 THEN 'in_progress'
            WHEN (u.id / 5) % 10 < 8 THEN 'done' ELSE 'rejected' END,
       CASE WHEN (u.id / 5) % 10 >= 3 THEN (ARRAY['Ольга','Сергей'])[1 + u.id % 2] END,
       CASE WHEN (u.id / 5) % 10 = 4 THEN 'Перезвонить после обеда, интересует интеграция с CRM' ELSE '' END,
       u.created_at + interval '4 minutes', u.created_at + interval '2 hours'
FROM users u
WHERE u.telegram_id BETWEEN 500001 AND 500400 AND u.id % 5 < 3;

INSERT INTO bot_metrics (telegram_id, action, package_code, data, created_at)
SELECT u.telegram_id, 'application_created', a.package_code, json_build_object('number', a.number)::jsonb, a.created_at
FROM applications a JOIN users u ON u.id = a.user_id WHERE u.telegram_id BETWEEN 500001 AND 500400;

INSERT INTO application_events (application_id, actor, kind, old_value, new_value, created_at)
SELECT a.id, 'bot', 'created', NULL, a.status, a.created_at FROM applications a
JOIN users u ON u.id = a.user_id WHERE u.telegram_id BETWEEN 500001 AND 500400;
INSERT INTO application_events (application_id, actor, kind, old_value, new_value, created_at)
SELECT a.id, 'console:' || lower(a.assignee), 'status_changed', 'new', a.status, a.updated_at FROM applications a
JOIN users u ON u.id = a.user_id WHERE u.telegram_id BETWEEN 500001 AND 500400 AND a.status <> 'new';

INSERT INTO engine_instances (id, host, pid, mode, version, started_at, seen_at)
VALUES ('demo', 'vps-1', 4242, 'polling', '0.1.0', now() - interval '3 hours', now())
ON CONFLICT (id) DO UPDATE SET seen_at = now();
COMMIT;
