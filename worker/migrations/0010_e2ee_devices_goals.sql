-- End-to-end encryption (issue 10), second step: which devices are approved to hold a person's keys, and the one
-- goal text a mentee may choose to show the programme.

-- A device is approved once it is the person's first (nobody else could vouch for it), once another approved device
-- of theirs approved it (the short code, shared/crypto/device-approval.ts), or once it restored the person's keys
-- from their recovery-key backup. Keys are sent only from and to approved devices (worker/routes/keys.ts).
ALTER TABLE device_keys ADD COLUMN approved_at TEXT;
ALTER TABLE device_keys ADD COLUMN approved_via TEXT CHECK (approved_via IN ('first-device', 'device', 'recovery'));

-- Devices registered before approvals were recorded. A device whose approval request was completed was approved by
-- another device of the person, at completion.
UPDATE device_keys
   SET approved_via = 'device',
       approved_at = (SELECT MIN(a.completed_at) FROM device_approvals a WHERE a.device_key_id = device_keys.device_key_id AND a.completed_at IS NOT NULL)
 WHERE approved_at IS NULL
   AND EXISTS (SELECT 1 FROM device_approvals a WHERE a.device_key_id = device_keys.device_key_id AND a.completed_at IS NOT NULL);

-- Each person's earliest current device is their first device (it made their keys), unless approved above.
UPDATE device_keys
   SET approved_via = 'first-device', approved_at = created_at
 WHERE approved_at IS NULL
   AND revoked_at IS NULL
   AND device_key_id = (SELECT d.device_key_id FROM device_keys d
                         WHERE d.user_id = device_keys.user_id AND d.revoked_at IS NULL
                         ORDER BY d.created_at, d.device_key_id LIMIT 1);

-- The goal's title as the mentee chose to show it to the programme (plain text, read by admins); NULL: private to
-- the pair, and then the admin view shows no title at all. The goal's own title and SMART fields may be ciphertext.
ALTER TABLE goals ADD COLUMN programme_title TEXT;
