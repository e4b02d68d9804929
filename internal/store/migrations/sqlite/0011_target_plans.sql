-- Explicit planned trajectories of targets (计划曲线, e.g. an S-curve for a
-- construction project's investment): the planned cumulative value at the end
-- of chosen periods. A target without points follows the linear plan from its
-- baseline to its value. Points are never updated: setting a plan marks the
-- points in force as replaced (replaced_at) and inserts the new ones, so the
-- plan in force at any past time can be replayed (as_of).
CREATE TABLE target_plan_points (
	id INTEGER PRIMARY KEY,
	target_id BIGINT NOT NULL REFERENCES targets(id) ON DELETE CASCADE,
	item_id BIGINT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
	period_end DATE NOT NULL,
	value DOUBLE PRECISION NOT NULL,
	set_at DATETIME NOT NULL,
	replaced_at DATETIME,
	user_id BIGINT,
	username TEXT NOT NULL DEFAULT ''
);
CREATE INDEX target_plan_points_target ON target_plan_points(target_id, set_at);
CREATE INDEX target_plan_points_item ON target_plan_points(item_id, set_at);
