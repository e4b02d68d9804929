package briefing

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongjian/internal/ledger"
)

// A briefing reads a few values of every ledger row (tens of thousands per
// ledger): instead of decoding each row's JSON into a map, the top-level
// object is scanned once and only the raw bytes of the wanted values are
// kept. A value means what encoding/json would decode it to.

var errBadJSON = errors.New("不是有效的 JSON 对象")

// jsonFields sets out[i] to the raw JSON of the top-level member keys[i] of
// the object data (the last one when a key repeats), or nil when there is
// none. The slices point into data.
func jsonFields(data []byte, keys []string, out [][]byte) error {
	clear(out)
	i := skipSpace(data, 0)
	if i+4 <= len(data) && string(data[i:i+4]) == "null" && skipSpace(data, i+4) == len(data) {
		return nil // what a map decodes "null" to: no values
	}
	if i >= len(data) || data[i] != '{' {
		return errBadJSON
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return endOf(data, i+1)
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return errBadJSON
		}
		end, esc, err := scanString(data, i)
		if err != nil {
			return err
		}
		key := data[i+1 : end-1]
		if esc {
			var k string
			if err := json.Unmarshal(data[i:end], &k); err != nil {
				return err
			}
			key = []byte(k)
		}
		i = skipSpace(data, end)
		if i >= len(data) || data[i] != ':' {
			return errBadJSON
		}
		i = skipSpace(data, i+1)
		vend, err := skipValue(data, i)
		if err != nil {
			return err
		}
		for j, k := range keys {
			if string(key) == k {
				out[j] = data[i:vend]
			}
		}
		i = skipSpace(data, vend)
		if i >= len(data) {
			return errBadJSON
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return endOf(data, i+1)
		default:
			return errBadJSON
		}
	}
}

func endOf(data []byte, i int) error {
	if skipSpace(data, i) != len(data) {
		return errBadJSON
	}
	return nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the index after the string starting at data[i] (a
// quote) and whether it holds escapes.
func scanString(data []byte, i int) (int, bool, error) {
	esc := false
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc, nil
		}
	}
	return 0, false, errBadJSON
}

// skipValue returns the index after the JSON value starting at data[i].
func skipValue(data []byte, i int) (int, error) {
	if i >= len(data) {
		return 0, errBadJSON
	}
	switch data[i] {
	case '"':
		end, _, err := scanString(data, i)
		return end, err
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				end, _, err := scanString(data, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errBadJSON
	}
	j := i
	for j < len(data) && !strings.ContainsRune(",}] \t\r\n", rune(data[j])) {
		j++
	}
	if j == i {
		return 0, errBadJSON
	}
	return j, nil
}

// rawString is the text of a raw JSON string, false for any other value.
// Without escapes it is the bytes between the quotes (no copy).
func rawString(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return nil, false
	}
	inner := raw[1 : len(raw)-1]
	if !strings.ContainsRune(string(inner), '\\') && utf8.Valid(inner) {
		return inner, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}

// rawText is a raw value as a record's name shows it (fmt.Sprint of what
// encoding/json decodes), "" for none or null.
func rawText(raw []byte) string {
	if raw == nil {
		return ""
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// scaledValue is a row's value of a summed field in ten-thousandths of the
// field's unit (万元 for amounts, which are stored in yuan): a number, or a
// string holding one; false for anything else.
func scaledValue(f ledger.LedgerField, raw []byte) (int64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	var x float64
	switch c := raw[0]; {
	case c == '"':
		s, ok := rawString(raw)
		if !ok {
			return 0, false
		}
		p, err := strconv.ParseFloat(strings.TrimSpace(string(s)), 64)
		if err != nil {
			return 0, false
		}
		x = p
	case c == '-' || (c >= '0' && c <= '9'):
		p, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return 0, false
		}
		x = p
	default: // true, false, null, an object or a list
		return 0, false
	}
	if f.Type == ledger.TypeAmountWan {
		return int64(math.Round(x)), true // yuan = ten-thousandths of 万元
	}
	return int64(math.Round(x * 1e4)), true
}
