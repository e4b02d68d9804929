package enterprise

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The unified social credit code (统一社会信用代码, GB 32100-2015) has 18
// characters: the registration authority (1), the organisation category (1),
// the administrative division (6), the organisation code (9, itself a
// GB 11714 code with its own check character) and the check character (1).
const (
	creditCodeLen = 18
	// creditCharset is GB 32100's character set: the digits and the capital
	// letters without I, O, Z, S and V; a character's value is its index.
	creditCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
)

// creditWeights are the weights of the first 17 characters: 3^(i) mod 31.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are GB 11714's weights of the organisation code's 8 body characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// CreditCheckChar returns the check character of the first 17 characters of a
// credit code, or an error when one of them is outside the character set.
func CreditCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("需要前17位，当前%d位", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCharset, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("第%d位字符“%c”不合法", i+1, first17[i])
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditCharset[c], nil
}

// orgValue is a character's value in GB 11714: digits as themselves, A–Z as 10–35.
func orgValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return -1
}

// OrgCheckChar returns the GB 11714 check character of an organisation code's
// 8 body characters: 11 − (Σ mod 11), with 10 written X and 11 written 0.
func OrgCheckChar(body8 string) (byte, error) {
	if len(body8) != 8 {
		return 0, fmt.Errorf("组织机构代码本体应为8位，当前%d位", len(body8))
	}
	sum := 0
	for i := 0; i < 8; i++ {
		v := orgValue(body8[i])
		if v < 0 {
			return 0, fmt.Errorf("组织机构代码第%d位字符“%c”不合法", i+1, body8[i])
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X', nil
	case 11:
		return '0', nil
	default:
		return byte('0' + c), nil
	}
}

// NormalizeCreditCode trims spaces, turns full-width characters into
// half-width ones and letters into capitals, as people type codes.
func NormalizeCreditCode(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r >= 'Ａ' && r <= 'Ｚ':
			r = 'A' + (r - 'Ａ')
		case r >= 'ａ' && r <= 'ｚ':
			r = 'A' + (r - 'ａ')
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		case r == ' ' || r == '　' || r == '-':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// CheckCreditCode validates a normalised code and returns, in Chinese, what is
// wrong with it, naming the character: "第18位校验码应为X". "" means valid.
func CheckCreditCode(code string) string {
	if n := utf8.RuneCountInString(code); n != creditCodeLen {
		return fmt.Sprintf("统一社会信用代码应为18位，当前为%d位", n)
	}
	for i := 0; i < creditCodeLen; i++ {
		if strings.IndexByte(creditCharset, code[i]) < 0 {
			return fmt.Sprintf("第%d位字符“%c”不合法（只能是数字或除 I、O、Z、S、V 以外的大写字母）", i+1, code[i])
		}
	}
	for i := 2; i < 8; i++ {
		if code[i] < '0' || code[i] > '9' {
			return fmt.Sprintf("第%d位应为数字（第3至8位是行政区划码）", i+1)
		}
	}
	var msgs []string
	if want, _ := OrgCheckChar(code[8:16]); code[16] != want {
		msgs = append(msgs, fmt.Sprintf("第17位（组织机构代码校验码）应为%c", want))
	}
	if want, _ := CreditCheckChar(code[:17]); code[17] != want {
		msgs = append(msgs, fmt.Sprintf("第18位校验码应为%c", want))
	}
	if len(msgs) == 2 {
		return msgs[0] + "，" + msgs[1] + "：请核对第9至16位是否有误"
	}
	return strings.Join(msgs, "")
}

// MakeCreditCode completes a code from its first 8 characters (authority,
// category, division) and the organisation code's 8 body characters by adding
// both check characters; the demo uses it for placeholder enterprises.
func MakeCreditCode(prefix8, orgBody8 string) (string, error) {
	oc, err := OrgCheckChar(orgBody8)
	if err != nil {
		return "", err
	}
	first := prefix8 + orgBody8 + string(oc)
	cc, err := CreditCheckChar(first)
	if err != nil {
		return "", err
	}
	return first + string(cc), nil
}
