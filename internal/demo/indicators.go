package demo

import "context"

// loadIndicators writes this part of the demo district.
func loadIndicators(ctx context.Context, s Services, x Extras, sum Summary) error { return nil }
