-- End-to-end encryption (issue 10), the server's part: device public keys, wrapped symmetric keys, recovery-key
-- backups and device approvals. The server never holds a private key or an unwrapped key: every secret here is
-- ciphertext made on a device (shared/crypto). Times are ISO-8601 UTC strings.

-- One row per device key pair (ECDH P-256). device_key_id = base64url(SHA-256(SPKI)), checked by the worker.
CREATE TABLE device_keys (
  device_key_id  TEXT PRIMARY KEY,
  user_id        TEXT NOT NULL REFERENCES users(id),
  spki           TEXT NOT NULL,                -- SubjectPublicKeyInfo, base64url
  label          TEXT NOT NULL DEFAULT '',     -- "Chrome on the work laptop"
  created_at     TEXT NOT NULL,
  revoked_at     TEXT                          -- a revoked device is sent no new keys; its wrapped keys are dropped
);
-- GET /me/devices, a pair's members' current devices (GET /pairs/:id/keys), erasure
CREATE INDEX device_keys_user ON device_keys (user_id, revoked_at);

-- A symmetric key (pair key or personal key) wrapped to one device. `record` is the WrappedKey JSON as sent; the
-- other columns are copied out of it for queries and authorisation.
CREATE TABLE wrapped_keys (
  key_id                   TEXT NOT NULL,
  recipient_device_key_id  TEXT NOT NULL REFERENCES device_keys(device_key_id),
  kind                     TEXT NOT NULL CHECK (kind IN ('pair', 'personal')),
  scope                    TEXT NOT NULL,      -- the pair id of a pair key, the person id of a personal key
  sender_device_key_id     TEXT NOT NULL REFERENCES device_keys(device_key_id),
  record                   TEXT NOT NULL,
  created_at               TEXT NOT NULL,
  PRIMARY KEY (key_id, recipient_device_key_id)
);
-- The keys addressed to the caller's devices, by kind and scope (GET /pairs/:id/keys, GET /me/keys)
CREATE INDEX wrapped_keys_recipient ON wrapped_keys (recipient_device_key_id, kind, scope);
-- Erasure: records sent from a person's devices
CREATE INDEX wrapped_keys_sender ON wrapped_keys (sender_device_key_id);

-- One recovery-key backup per person (KeyBackup JSON, sealed under a key derived from their recovery key).
CREATE TABLE key_backups (
  user_id     TEXT PRIMARY KEY REFERENCES users(id),
  backup      TEXT NOT NULL,
  version     INTEGER NOT NULL DEFAULT 1,       -- optimistic concurrency: a stale PUT is a 409, never an overwrite
  updated_at  TEXT NOT NULL
);

-- A new device asking one of the person's other devices to wrap their keys to it.
CREATE TABLE device_approvals (
  id                         TEXT PRIMARY KEY,
  user_id                    TEXT NOT NULL REFERENCES users(id),
  device_key_id              TEXT NOT NULL REFERENCES device_keys(device_key_id),
  spki                       TEXT NOT NULL,
  created_at                 TEXT NOT NULL,
  expires_at                 TEXT NOT NULL,    -- created_at + 10 minutes
  completed_at               TEXT,
  completed_by_device_key_id TEXT REFERENCES device_keys(device_key_id)
);
-- GET /me/devices/approvals: the pending ones of a person
CREATE INDEX device_approvals_user ON device_approvals (user_id, completed_at, expires_at);

-- NULL until the pair's first pair key is published; from then on entry and agenda text must be ciphertext.
ALTER TABLE pairs ADD COLUMN encrypted_since TEXT;
