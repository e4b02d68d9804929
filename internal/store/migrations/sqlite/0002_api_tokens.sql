-- API tokens for integrations: scoped to a subset of the owner's permissions,
-- stored as a hash, revocable.
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	scopes TEXT NOT NULL,
	created_at DATETIME NOT NULL,
	expires_at DATETIME,
	last_used_at DATETIME,
	revoked_at DATETIME
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
