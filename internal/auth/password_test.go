package auth_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"gongjian/internal/auth"
)

func TestHashAndCheckPassword(t *testing.T) {
	const pw = "Gongjian@2022"
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, pw) {
		t.Fatalf("hash %q should be a PHC argon2id string without the password in it", h)
	}
	if !auth.CheckPassword(h, pw) {
		t.Error("the right password does not match its hash")
	}
	for _, wrong := range []string{"", "gongjian@2022", "Gongjian@2022 ", "Gongjian@202", "Gongjian@20222"} {
		if auth.CheckPassword(h, wrong) {
			t.Errorf("wrong password %q matches", wrong)
		}
	}
	// Salted: the same password hashes differently each time, and both verify.
	h2, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if h2 == h {
		t.Error("two hashes of one password are equal; the salt is missing")
	}
	if !auth.CheckPassword(h2, pw) {
		t.Error("second hash does not verify")
	}
	// Unicode passwords work as well.
	h3, err := auth.HashPassword("攻坚年Ab1!密码")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(h3, "攻坚年Ab1!密码") || auth.CheckPassword(h3, "攻坚年Ab1!密") {
		t.Error("unicode password check is wrong")
	}
}

// malformedHashes are stored hash strings that are not a usable argon2id hash.
// Some are the real hash with one field broken.
func malformedHashes(good string) []string {
	parts := strings.Split(good, "$") // "", argon2id, v=19, m=..,t=..,p=.., salt, key
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	return []string{
		"",
		"$",
		"$$$$$",
		"plaintext-password",
		"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", // bcrypt
		strings.Replace(good, "$argon2id$", "$argon2i$", 1),
		good + "$extra",
		strings.TrimPrefix(good, "$"),
		with(3, "m=19456,t=2"),
		with(3, "m=abc,t=2,p=1"),
		with(3, "m=19456,t=0,p=1"),   // zero passes
		with(3, "m=19456,t=2,p=0"),   // zero lanes
		with(3, "m=0,t=1,p=1"),       // no memory
		with(3, "m=19456,t=2,p=256"), // lanes overflow uint8
		with(3, "m=-1,t=2,p=1"),
		with(4, "not base64!"),
		with(4, ""),
		with(5, "not base64!"),
		with(5, ""), // no key to compare with
		with(5, parts[5][:len(parts[5])-4]),
	}
}

func TestCheckPasswordMalformedHash(t *testing.T) {
	const pw = "Gongjian@2022"
	good, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range malformedHashes(good) {
		t.Run(fmt.Sprintf("%q", h), func(t *testing.T) {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("CheckPassword panicked: %v", p)
				}
			}()
			if auth.CheckPassword(h, pw) {
				t.Errorf("CheckPassword(%q) = true for a malformed hash", h)
			}
		})
	}
}

func TestCheckStrength(t *testing.T) {
	tests := []struct {
		pw      string
		ok      bool
		mention string // part of the message when refused
	}{
		{"Aa1!", false, "10"},
		{"Aa1!Aa1!A", false, "10"}, // 9 characters
		{"Aa1!Aa1!Aa", true, ""},   // exactly 10, four classes
		{"abcdefghij", false, "三类"},
		{"abcdefgh12", false, "三类"},
		{"ABCDEFGH!!", false, "三类"},
		{"Abcdefgh12", true, ""},    // upper, lower, digit
		{"abcdefgh1!", true, ""},    // lower, digit, symbol
		{"ABCDEFGH1!", true, ""},    // upper, digit, symbol
		{"Abcdefgh!!", true, ""},    // upper, lower, symbol
		{"密码密码密码密码密码", false, "三类"}, // 10 characters, symbols only
		{"攻坚年密码好ab12", true, ""},    // 10 runes; CJK counts as symbols
		{"攻坚年密码ab12", false, "10"},  // 9 runes is too short, though 21 bytes
		{"", false, "10"},
	}
	for _, tt := range tests {
		err := auth.CheckStrength(tt.pw)
		if (err == nil) != tt.ok {
			t.Errorf("CheckStrength(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
			continue
		}
		if err != nil && (!strings.Contains(err.Error(), "密码") || !strings.Contains(err.Error(), tt.mention)) {
			t.Errorf("CheckStrength(%q) message %q should be about 密码 and mention %q", tt.pw, err, tt.mention)
		}
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		pw := auth.GeneratePassword()
		if err := auth.CheckStrength(pw); err != nil {
			t.Fatalf("generated password %q fails CheckStrength: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("generated password %q twice", pw)
		}
		seen[pw] = true
	}
}

// fixedHash is a hash of "Gongjian@2022" made once by HashPassword. The fuzz
// target needs a hash that is the same in every fuzz worker process.
const fixedHash = "$argon2id$v=19$m=19456,t=2,p=1$qaX4NJ9w9PTh9G23aTq5YQ$TjqEyrR3c+BtmINrT4mrcQcDMrsi4wIMbMSCpeVn8ZY"

// A hash stored by an earlier run keeps verifying: the format is stable.
func TestStoredHashStillVerifies(t *testing.T) {
	if !auth.CheckPassword(fixedHash, "Gongjian@2022") {
		t.Error("a stored hash of Gongjian@2022 no longer verifies")
	}
	if auth.CheckPassword(fixedHash, "Gongjian@2023") {
		t.Error("a stored hash verifies the wrong password")
	}
}

func FuzzCheckPassword(f *testing.F) {
	const pw = "Gongjian@2022"
	// A cheap hash in the product's format (64 KiB, one pass) with a fixed
	// salt, so that every fuzz worker process has the same one and mutations
	// of it reach every branch of CheckPassword quickly.
	salt := []byte("gongjian-fuzz-16")
	b64 := base64.RawStdEncoding
	good := fmt.Sprintf("$argon2id$v=%d$m=64,t=1,p=1$%s$%s", argon2.Version,
		b64.EncodeToString(salt), b64.EncodeToString(argon2.IDKey([]byte(pw), salt, 1, 64, 1, 32)))
	if !auth.CheckPassword(good, pw) {
		f.Fatalf("hand-made hash %q does not verify", good)
	}
	f.Add(good)
	for _, h := range malformedHashes(good) {
		f.Add(h)
	}
	f.Add("$argon2id$v=19$m=19456,t=0,p=1$c2FsdHNhbHQ$a2V5a2V5") // once panicked: zero passes
	f.Add("$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHQ$a2V5a2V5") // once panicked: zero lanes
	f.Fuzz(func(t *testing.T, h string) {
		if expensive(h) {
			t.Skip("cost parameters too high to evaluate in a fuzz run")
		}
		ok := auth.CheckPassword(h, pw) // must not panic
		if ok && !sameKey(h, good) && keyLen(h) >= 16 {
			t.Errorf("CheckPassword(%q) matched a hash other than the real one", h)
		}
	})
}

// expensive reports whether h asks argon2 for more work than a fuzz iteration
// should take (4 MiB-passes; the product's own hashes cost 38 MiB-passes and
// are covered by the other tests).
func expensive(h string) bool {
	parts := strings.Split(h, "$")
	if len(parts) != 6 {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	return t > 4 || uint64(m)*uint64(t) > 4096
}

// keyLen is the length in bytes of h's stored key, 0 when it has none. A
// short key matches many passwords by chance (one in 256 for one byte), so
// only a long one can show that a wrong hash was accepted.
func keyLen(h string) int {
	parts := strings.Split(h, "$")
	if len(parts) != 6 {
		return 0
	}
	b, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return 0
	}
	return len(b)
}

// sameKey reports whether h has the real hash's algorithm, parameters, salt
// and key, so that only textual variants of it (which Sscanf tolerates, such
// as a different v= field) may still verify.
func sameKey(h, good string) bool {
	a, b := strings.Split(h, "$"), strings.Split(good, "$")
	return len(a) == 6 && a[1] == b[1] && a[4] == b[4] && a[5] == b[5]
}
