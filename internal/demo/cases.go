package demo

import "context"

// loadCases writes this part of the demo district.
func loadCases(ctx context.Context, s Services, x Extras, sum Summary) error { return nil }
