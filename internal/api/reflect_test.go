package api_test

import (
	"reflect"
	"strings"
)

func reflectNil(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// replaceParams fills path parameters with an id that exists in the demo.
func replaceParams(path string) string {
	return strings.ReplaceAll(path, "{id}", "1")
}
