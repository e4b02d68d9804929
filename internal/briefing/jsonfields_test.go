package briefing

import (
	"encoding/json"
	"reflect"
	"testing"
)

// jsonFields picks the same values encoding/json decodes a row into, for
// rows spelled in every way JSON allows (spaces, escapes, nesting with
// brackets and quotes in strings, repeated keys), and rejects what is not
// an object.
func TestJSONFields(t *testing.T) {
	keys := []string{"a", "b", "路"}
	for _, in := range []string{
		`{"a":1,"b":"x"}`,
		` { "a" : -2.5e3 , "b" : "\"}]," , "c" : {"d":["}",{"e":"\\"}]} } `,
		`{"\u0061":true,"b":null,"\u8def":"值"}`,
		`{"a":1,"a":"two","b":[1,[2,[3]]]}`,
		`{}`,
		`null`,
		`{"c":"a","路":" 12 "}`,
	} {
		var want map[string]any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out := make([][]byte, len(keys))
		if err := jsonFields([]byte(in), keys, out); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		for i, k := range keys {
			w, present := want[k]
			if !present {
				if out[i] != nil {
					t.Errorf("%s: %s = %s, want none", in, k, out[i])
				}
				continue
			}
			var got any
			if err := json.Unmarshal(out[i], &got); err != nil || !reflect.DeepEqual(got, w) {
				t.Errorf("%s: %s = %s (%v), want %#v", in, k, out[i], err, w)
			}
		}
	}
	for _, bad := range []string{``, `[1]`, `{"a":1`, `{"a" 1}`, `{"a":"x}`, `{"a":1}x`, `{"a":}`} {
		if err := jsonFields([]byte(bad), keys, make([][]byte, len(keys))); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
