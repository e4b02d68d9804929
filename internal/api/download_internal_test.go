package api

import "testing"

// A Chinese file name reaches new browsers exactly (filename*) and old ones
// as a harmless ASCII stand-in.
func TestContentDisposition(t *testing.T) {
	got := contentDisposition(`督办件-2022.xlsx`)
	want := `attachment; filename="___-2022.xlsx"; filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E4%BB%B6-2022.xlsx`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := contentDisposition(`a"b.xlsx`); got != `attachment; filename="a_b.xlsx"; filename*=UTF-8''a%22b.xlsx` {
		t.Errorf("quote in name: %s", got)
	}
}
