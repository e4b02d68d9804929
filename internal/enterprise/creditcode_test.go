package enterprise

import (
	"strings"
	"testing"
)

// Codes whose check characters were worked out by hand from the standards,
// not by the code under test.
//
// GB 32100 values: digits as themselves; A10 B11 C12 D13 E14 F15 G16 H17 J18
// K19 L20 M21 N22 P23 Q24 R25 T26 U27 W28 X29 Y30; weights 1 3 9 27 19 26 16
// 17 20 29 25 13 8 24 10 30 28; check = 31 − (Σ mod 31).
// GB 11714 values: digits as themselves, A–Z = 10–35; weights 3 7 9 10 5 8 4
// 2; check = 11 − (Σ mod 11), 10 → X, 11 → 0.
var knownCodes = []struct {
	code string
	why  string
}{
	// 华为技术有限公司. Organisation code 19220382-?: 1·3+9·7+2·9+2·10+0·5+3·8+8·4+2·2
	// = 3+63+18+20+0+24+32+4 = 164; 164 mod 11 = 10; 11−10 = 1.
	// 9 1 4 4 0 3 0 0 1 9 2 2 0 3 8 2 1 weighted: 9+3+36+108+0+78+0+0+20+261+50+26+0+72+80+60+28
	// = 831; 831 mod 31 = 25 (31·26 = 806); 31−25 = 6.
	{"914403001922038216", "org check 1, check 6"},
	// 阿里巴巴（中国）有限公司. Organisation code 71610585-?: 21+7+54+10+0+40+32+10 = 174;
	// 174 mod 11 = 9; 11−9 = 2. Weighted sum 9+3+27+81+0+26+0+0+140+29+150+13+0+120+80+150+56
	// = 884; 884 mod 31 = 16 (31·28 = 868); 31−16 = 15 = F.
	{"91330100716105852F", "check F"},
	// 深圳市腾讯计算机系统有限公司. Organisation code 71526726-?: 21+7+45+20+30+56+8+12 = 199;
	// 199 mod 11 = 1; 11−1 = 10 = X. Weighted sum, X = 29 at weight 28 gives 812:
	// 9+3+36+108+0+78+0+0+140+29+125+26+48+168+20+180+812 = 1782; 1782 mod 31 = 15
	// (31·57 = 1767); 31−15 = 16 = G.
	{"9144030071526726XG", "org check X, check G"},
	// The standard's worked example. Organisation code M000100Y-? with M = 22 and
	// Y = 34 in GB 11714: 66+0+0+0+5+0+0+68 = 139; 139 mod 11 = 7; 11−7 = 4.
	// In GB 32100 M = 21 and Y = 30: 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112
	// = 1640; 1640 mod 31 = 28 (31·52 = 1612); 31−28 = 3.
	{"91350100M000100Y43", "letters in the organisation code"},
}

func TestKnownCodesAreValid(t *testing.T) {
	for _, k := range knownCodes {
		if msg := CheckCreditCode(k.code); msg != "" {
			t.Errorf("%s (%s): %s", k.code, k.why, msg)
		}
	}
}

func TestWrongCharacterIsNamed(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		// Huawei's code with the last character changed: the 18th must be 6.
		{"914403001922038217", "第18位校验码应为6"},
		// Alibaba's with the organisation check digit changed (2 → 3): the
		// organisation code must end in 2 (and the 18th no longer fits either).
		{"91330100716105853F", "第17位（组织机构代码校验码）应为2"},
		// Tencent's with the final G replaced by H.
		{"9144030071526726XH", "第18位校验码应为G"},
		{"91440300192203821", "应为18位，当前为17位"},
		{"9144030019220382I6", "第17位字符“I”不合法"},
		{"91A403001922038216", "第3位应为数字"},
	} {
		got := CheckCreditCode(tc.code)
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want it to say %q", tc.code, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	if got := NormalizeCreditCode(" ９１３３０１００７１６１０５８５２ｆ "); got != "91330100716105852F" {
		t.Errorf("full-width and lower case: %q", got)
	}
}

func TestMakeCreditCode(t *testing.T) {
	// Rebuilding the known codes from their bodies gives them back.
	for _, k := range knownCodes {
		got, err := MakeCreditCode(k.code[:8], k.code[8:16])
		if err != nil || got != k.code {
			t.Errorf("MakeCreditCode(%s, %s) = %s, %v; want %s", k.code[:8], k.code[8:16], got, err, k.code)
		}
	}
}

// FuzzCreditCode: any input gives an answer, never a panic; a code that is
// accepted stays accepted after normalisation, and changing its last
// character to any other always gets it refused, naming the 18th character.
func FuzzCreditCode(f *testing.F) {
	for _, k := range knownCodes {
		f.Add(k.code)
	}
	f.Add("")
	f.Add("９１３３０１００７１６１０５８５２ｆ")
	f.Add("ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ")
	f.Fuzz(func(t *testing.T, s string) {
		code := NormalizeCreditCode(s)
		msg := CheckCreditCode(code)
		if msg != "" {
			return
		}
		if len(code) != 18 {
			t.Fatalf("accepted %q of %d bytes", code, len(code))
		}
		if CheckCreditCode(NormalizeCreditCode(code)) != "" {
			t.Fatalf("%q accepted once but not after normalising again", code)
		}
		for i := 0; i < len(creditCharset); i++ {
			c := creditCharset[i]
			if c == code[17] {
				continue
			}
			bad := code[:17] + string(c)
			if m := CheckCreditCode(bad); !strings.Contains(m, "第18位校验码应为"+code[17:]) {
				t.Fatalf("%s with last char %c: %q", code, c, m)
			}
		}
	})
}
