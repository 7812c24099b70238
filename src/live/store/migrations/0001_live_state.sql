-- The live changes every replica serves: one row holding the whole state (the same
-- JSON the file store keeps), with the number of the last change in it. Writers lock
-- the row (SELECT ... FOR UPDATE), so the database serialises them.
CREATE TABLE wegwijzer_live_state (
    id smallint PRIMARY KEY CHECK (id = 1),
    number bigint NOT NULL CHECK (number >= 0),
    changes jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO wegwijzer_live_state (id, number, changes)
VALUES (1, 0, '{"upserts": {}, "deleted": [], "availability": {}, "number": 0, "versions": {}}');

-- One row per committed write: which change numbers it carried and when. For the
-- operator's audit; replicas follow the state row, not this log.
CREATE TABLE wegwijzer_live_commits (
    number bigint PRIMARY KEY,
    previous bigint NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
