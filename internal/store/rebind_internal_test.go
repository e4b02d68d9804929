package store

import "testing"

// rebind is what lets every query be written once with ? and run on both
// engines; a placeholder inside a string literal is text, not a parameter.
func TestRebind(t *testing.T) {
	tests := []struct {
		name   string
		engine Engine
		in     string
		want   string
	}{
		{"sqlite untouched", SQLite,
			`SELECT a FROM t WHERE x = ? AND y = '?'`,
			`SELECT a FROM t WHERE x = ? AND y = '?'`},
		{"postgres numbers in order", Postgres,
			`INSERT INTO t (a, b, c) VALUES (?, ?, ?)`,
			`INSERT INTO t (a, b, c) VALUES ($1, $2, $3)`},
		{"postgres no placeholder", Postgres,
			`SELECT 1`,
			`SELECT 1`},
		{"postgres quoted question mark kept", Postgres,
			`SELECT a FROM t WHERE note = 'why?' AND id = ?`,
			`SELECT a FROM t WHERE note = 'why?' AND id = $1`},
		{"postgres only quoted question marks", Postgres,
			`SELECT '?', '??'`,
			`SELECT '?', '??'`},
		{"postgres doubled quote inside literal", Postgres,
			`SELECT 'it''s ?' , ?`,
			`SELECT 'it''s ?' , $1`},
		{"postgres escape clause", Postgres,
			`SELECT s FROM t WHERE s LIKE ? ESCAPE '\' AND k = ?`,
			`SELECT s FROM t WHERE s LIKE $1 ESCAPE '\' AND k = $2`},
		{"postgres two digit numbers", Postgres,
			`VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			`VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rebind(tt.engine, tt.in); got != tt.want {
				t.Errorf("rebind(%s, %q)\n got  %q\n want %q", tt.engine, tt.in, got, tt.want)
			}
		})
	}
}
