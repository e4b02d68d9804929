// Package auth holds accounts and sign-in: users, password hashes and
// server-side sessions.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's 19 MiB, 2 passes, 1 lane — affordable on a
// 2-core server while still costly to brute-force.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword returns a PHC-format argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches hash, in constant time.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	// Bound what a stored hash may ask for: argon2 panics on zero passes or
	// lanes, and a huge memory cost would take the process down at sign-in.
	if err1 != nil || err2 != nil || len(want) < 16 || len(salt) < 8 || t < 1 || t > 10 || p < 1 || m > 1<<20 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// CheckStrength enforces the minimum: 10 characters from at least three of
// upper case, lower case, digits and symbols.
func CheckStrength(pw string) error {
	if len([]rune(pw)) < 10 {
		return errors.New("密码至少 10 位")
	}
	var classes [4]bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			classes[0] = true
		case unicode.IsLower(r):
			classes[1] = true
		case unicode.IsDigit(r):
			classes[2] = true
		default:
			classes[3] = true
		}
	}
	n := 0
	for _, c := range classes {
		if c {
			n++
		}
	}
	if n < 3 {
		return errors.New("密码须包含大写字母、小写字母、数字、符号中的至少三类")
	}
	return nil
}

// GeneratePassword returns a random password that passes CheckStrength.
func GeneratePassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "Gj-" + base64.RawURLEncoding.EncodeToString(b) + "7a"
}

// newToken returns a random secret and the hash under which it is stored, so
// that a stolen database does not yield usable sessions.
func newToken() (token, id string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, tokenID(token), nil
}
