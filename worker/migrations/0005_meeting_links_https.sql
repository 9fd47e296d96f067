-- Issue 8, defect 4: meeting links were any URL, `javascript:` and `data:` included. The schema now accepts only
-- https links on each platform's own hosts (shared/domain/meeting-links.ts); this removes stored links that break
-- that rule, keeping the pair's other links.
--
-- SQLite has no URL parser, so the host check here approximates the schema's: a link is kept only when it starts with
-- https:// (any case), its authority (up to the first "/") has only letters, digits, dots, dashes and a port colon
-- (so no user@, backslash, ?, #, % or space tricks), and its host (before the colon) is the platform's. Limits: a
-- link on an internationalised (non-ASCII) host is removed even if valid, and the rare value this keeps but the
-- schema refuses (e.g. a non-numeric port) reads as "no links" for that pair (worker/db/pairs.ts parses with a
-- fallback) until an admin sets the links again. Non-text values, unknown platforms and links over 500 characters go.

-- Not a JSON object at all: no links.
UPDATE pairs SET meeting_links = '{}' WHERE NOT json_valid(meeting_links) OR json_type(meeting_links) <> 'object';

UPDATE pairs
SET meeting_links = (
  SELECT json_group_object(link.key, link.value)
  FROM (
    SELECT key, value,
      CASE WHEN instr(authority, ':') > 0 THEN substr(authority, 1, instr(authority, ':') - 1) ELSE authority END AS host,
      authority
    FROM (
      SELECT e.key, e.value,
        CASE WHEN instr(substr(lower(e.value), 9), '/') > 0
          THEN substr(lower(e.value), 9, instr(substr(lower(e.value), 9), '/') - 1)
          ELSE substr(lower(e.value), 9)
        END AS authority
      FROM json_each(pairs.meeting_links) AS e
      WHERE e.type = 'text' AND lower(substr(e.value, 1, 8)) = 'https://' AND length(e.value) <= 500
    )
  ) AS link
  WHERE link.authority <> ''
    AND link.authority NOT GLOB '*[^a-z0-9.:-]*'
    AND link.host <> ''
    AND (
      (link.key = 'meet' AND link.host = 'meet.google.com')
      OR (link.key = 'zoom' AND (link.host = 'zoom.us' OR link.host LIKE '%.zoom.us'))
      OR (link.key = 'teams' AND link.host IN ('teams.microsoft.com', 'teams.live.com', 'teams.cloud.microsoft'))
      OR (link.key = 'whereby' AND (link.host = 'whereby.com' OR link.host LIKE '%.whereby.com'))
      -- Self-hosted Jitsi servers can be anywhere (see meeting-links.ts): any https host.
      OR link.key = 'jitsi'
    )
)
WHERE meeting_links <> '{}';
