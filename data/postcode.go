package data

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// PostcodeKind says what a parsed postcode is: a full postcode unit or a partial one.
type PostcodeKind int

// Kinds of postcode. The zero value is not a valid kind.
const (
	FullPostcode PostcodeKind = iota + 1 // "SW1A 1AA"
	Sector                               // outward code and the inward digit: "S18 1"
	Outcode                              // outward code (postcode district): "S18", "SW1A"
	Area                                 // the letters of the outward code alone: "S", "SW"
	BFPONumber                           // British Forces Post Office number: "BFPO 123"
)

func (k PostcodeKind) String() string {
	switch k {
	case FullPostcode:
		return "postcode"
	case Sector:
		return "sector"
	case Outcode:
		return "outcode"
	case Area:
		return "area"
	case BFPONumber:
		return "bfpo"
	}
	return fmt.Sprintf("PostcodeKind(%d)", int(k))
}

// Postcode is a syntactically valid UK postcode, full or partial, in normalised form.
type Postcode struct {
	Kind       PostcodeKind
	Normalised string // upper case, one space before the inward code: "SW1A 1AA", "S18 1", "S18", "SW", "BFPO 123"
	Outward    string // "SW1A"; "" for an Area; "BFPO" for a BFPO number
	Inward     string // "1AA" for a full postcode, the number of a BFPO number; "" otherwise
	Area       string // letters of the outcode: "SW" ("GIR", "ASCN" for those special postcodes)
	Sector     string // "SW1A 1" for a full postcode or a sector; "" otherwise
}

func (p Postcode) String() string { return p.Normalised }

// MaxPostcodeInput is the longest input ParsePostcode accepts, spaces included.
const MaxPostcodeInput = 16

// Special full postcodes and outward codes whose syntax breaks the ordinary rules.
var specialFull = map[string]bool{
	"GIR0AA": true, "XM45HQ": true,
	"ASCN1ZZ": true, "STHL1ZZ": true, "TDCU1ZZ": true, "BBND1ZZ": true, "BIQQ1ZZ": true,
	"FIQQ1ZZ": true, "PCRN1ZZ": true, "SIQQ1ZZ": true, "TKCA1ZZ": true,
}

var specialOutward = map[string]string{ // outward -> its only full postcode
	"GIR": "GIR 0AA", "XM4": "XM4 5HQ",
	"ASCN": "ASCN 1ZZ", "STHL": "STHL 1ZZ", "TDCU": "TDCU 1ZZ", "BBND": "BBND 1ZZ", "BIQQ": "BIQQ 1ZZ",
	"FIQQ": "FIQQ 1ZZ", "PCRN": "PCRN 1ZZ", "SIQQ": "SIQQ 1ZZ", "TKCA": "TKCA 1ZZ",
}

// nhsPseudoOutward is the outward code of NHS pseudo-postcodes (ZZ99 3VZ and the like).
const nhsPseudoOutward = "ZZ99"

func invalidPostcode(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidPostcode}, args...)...)
}

// ParsePostcode accepts any case and spacing (" sw1a1aa ", "S1 2hE", "s12he", "S18", "s18 1")
// and returns ErrInvalidPostcode (wrapped, with the reason: "invalid postcode: <reason>") for
// anything that is not UK postcode syntax.
//
// Full postcodes are an outward code of the form A9, A99, AA9, AA99, A9A or AA9A and an inward
// code 9AA, with the Royal Mail letter rules (Q, V, X never first; I, J, Z never second; only
// ABCDEFGHJKPSTUW third in A9A; only ABEHMNPRVWXY fourth in AA9A; never C, I, K, M, O, V in
// the inward code). Also accepted: GIR 0AA, XM4 5HQ, BFPO numbers ("BFPO 123"), the British
// overseas territories' postcodes (ASCN 1ZZ, STHL 1ZZ, TDCU 1ZZ, BBND 1ZZ, BIQQ 1ZZ, FIQQ 1ZZ,
// GX11 1AA, PCRN 1ZZ, SIQQ 1ZZ, TKCA 1ZZ) and NHS pseudo-postcodes (ZZ99 9AA). Partial
// postcodes: a sector ("S18 1", also "S181" when that is not itself an outcode), an outcode
// ("S18") or the area letters alone ("SW"). Spaces may appear anywhere in a full postcode;
// a partial postcode needs its space between outcode and sector digit only when it would
// otherwise read as an outcode ("S11" is the outcode, "S1 1" the sector). Full-width letters,
// digits and spaces, as East Asian keyboards type them ("ＳＷ１Ａ １ＡＡ"), and no-break spaces
// read as their ASCII forms; the length limit counts characters, not bytes.
func ParsePostcode(s string) (Postcode, error) {
	if utf8.RuneCountInString(s) > MaxPostcodeInput {
		return Postcode{}, invalidPostcode("longer than %d characters", MaxPostcodeInput)
	}
	if !isASCII(s) {
		s = strings.ReplaceAll(width.Narrow.String(s), "\u00a0", " ")
	}
	var buf [MaxPostcodeInput]byte
	n, tokens, split := 0, 0, 0
	inToken := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			inToken = false
			continue
		case c < 0x20 || c == 0x7f:
			return Postcode{}, invalidPostcode("contains a control character")
		case c >= 0x80:
			return Postcode{}, invalidPostcode("contains a non-ASCII character")
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		default:
			return Postcode{}, invalidPostcode("contains %q: a postcode has only letters, digits and a space", c)
		}
		if !inToken {
			inToken = true
			tokens++
			if tokens == 2 {
				split = n
			}
		}
		buf[n] = c
		n++
	}
	if n == 0 {
		return Postcode{}, invalidPostcode("empty")
	}
	c := buf[:n]

	// BFPO numbers: BFPO 1 to BFPO 9999.
	if n >= 4 && string(c[:4]) == "BFPO" {
		num := c[4:]
		if len(num) == 0 {
			return Postcode{}, invalidPostcode("BFPO needs its number, e.g. BFPO 123")
		}
		if len(num) <= 4 && allDigits(num) {
			norm := "BFPO " + string(num)
			return Postcode{Kind: BFPONumber, Normalised: norm, Outward: "BFPO", Inward: norm[5:], Area: "BFPO"}, nil
		}
	}

	// A full postcode ends in an inward code 9AA.
	if n >= 5 && isDigit(c[n-3]) && isUpper(c[n-2]) && isUpper(c[n-1]) {
		out, in := c[:n-3], c[n-3:]
		if !specialFull[string(c)] && string(out) != nhsPseudoOutward {
			if only, ok := specialOutward[string(out)]; ok {
				return Postcode{}, invalidPostcode("%s is only used in %s", string(out), only)
			}
			if why := checkOutward(out); why != "" {
				return Postcode{}, invalidPostcode("%s", why)
			}
			if why := checkInward(in); why != "" {
				return Postcode{}, invalidPostcode("%s", why)
			}
		}
		return fullPostcode(s, c, len(out)), nil
	}
	if n > 4+3 {
		return Postcode{}, invalidPostcode("%s is not a postcode: expected an outward code and an inward code like 1AA", string(c))
	}

	// Partial postcodes.
	switch tokens {
	case 1:
		if isOutward(c) {
			return outcode(string(c)), nil
		}
		if n >= 3 && isDigit(c[n-1]) && isOutward(c[:n-1]) {
			return sector(string(c[:n-1]) + " " + string(c[n-1:])), nil
		}
		if n <= 2 && allUpper(c) {
			if why := checkAreaLetters(c); why != "" {
				return Postcode{}, invalidPostcode("%s: %s", string(c), why)
			}
			a := string(c)
			return Postcode{Kind: Area, Normalised: a, Area: a}, nil
		}
		if n >= 4 && isDigit(c[n-2]) && isUpper(c[n-1]) && isOutward(c[:n-2]) {
			return Postcode{}, invalidPostcode("incomplete inward code %s: need a digit and two letters", string(c[n-2:]))
		}
		if why := checkOutward(c); why != "" {
			return Postcode{}, invalidPostcode("%s", why)
		}
		return Postcode{}, invalidPostcode("%s is not a postcode", string(c))
	case 2:
		out, in := c[:split], c[split:]
		if len(in) == 1 && isDigit(in[0]) {
			if !isOutward(out) {
				return Postcode{}, invalidPostcode("%s", checkOutward(out))
			}
			return sector(string(out) + " " + string(in)), nil
		}
		if isOutward(c) { // "SW1 A"
			return outcode(string(c)), nil
		}
		if why := checkOutward(out); why != "" {
			return Postcode{}, invalidPostcode("%s", why)
		}
		if len(in) == 2 && isDigit(in[0]) && isUpper(in[1]) {
			return Postcode{}, invalidPostcode("incomplete inward code %s: need a digit and two letters", string(in))
		}
		return Postcode{}, invalidPostcode("inward code %s: need a digit and two letters (or a single digit for a sector)", string(in))
	default:
		return Postcode{}, invalidPostcode("%s: too many spaces for a partial postcode", strings.Join(strings.Fields(strings.ToUpper(s)), " "))
	}
}

// fullPostcode builds a FullPostcode from the compact form c (outward length k); it reuses s
// when s is already normalised.
func fullPostcode(s string, c []byte, k int) Postcode {
	var norm string
	if len(s) == len(c)+1 && s[k] == ' ' && s[:k] == string(c[:k]) && s[k+1:] == string(c[k:]) {
		norm = s
	} else {
		norm = string(c[:k]) + " " + string(c[k:])
	}
	return Postcode{Kind: FullPostcode, Normalised: norm, Outward: norm[:k], Inward: norm[k+1:],
		Area: norm[:leadingLetters(norm)], Sector: norm[:k+2]}
}

func outcode(out string) Postcode {
	return Postcode{Kind: Outcode, Normalised: out, Outward: out, Area: out[:leadingLetters(out)]}
}

func sector(sec string) Postcode {
	out := sec[:len(sec)-2]
	return Postcode{Kind: Sector, Normalised: sec, Outward: out, Area: out[:leadingLetters(out)], Sector: sec}
}

func leadingLetters(s string) int {
	i := 0
	for i < len(s) && isUpper(s[i]) {
		i++
	}
	return i
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func allDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func allUpper(b []byte) bool {
	for _, c := range b {
		if !isUpper(c) {
			return false
		}
	}
	return len(b) > 0
}

// isOutward reports whether b (upper case, no spaces) is a valid outward code, including the
// special ones (GIR, XM4, the overseas territories' and ZZ99).
func isOutward(b []byte) bool {
	if _, ok := specialOutward[string(b)]; ok || string(b) == nhsPseudoOutward {
		return true
	}
	return checkOutward(b) == ""
}

// Letters allowed in each position of an ordinary outward code (Royal Mail rules).
const (
	notFirst  = "QVX"
	notSecond = "IJZ"
	thirdA9A  = "ABCDEFGHJKPSTUW"
	fourAA9A  = "ABEHMNPRVWXY"
	notInward = "CIKMOV"
)

// checkAreaLetters checks the one or two letters of a postcode area: "" when valid, else the
// reason.
func checkAreaLetters(b []byte) string {
	if strings.IndexByte(notFirst, b[0]) >= 0 {
		return fmt.Sprintf("no postcode starts with %c (Q, V and X are not used first)", b[0])
	}
	if len(b) > 1 && strings.IndexByte(notSecond, b[1]) >= 0 {
		return fmt.Sprintf("%c is not used as the second letter of a postcode (I, J and Z are not)", b[1])
	}
	return ""
}

// checkOutward checks an ordinary outward code (upper case, no spaces): "" when valid, else the
// reason.
func checkOutward(b []byte) string {
	if len(b) == 0 {
		return "missing outward code"
	}
	if len(b) > 4 {
		return fmt.Sprintf("outward code %s is too long (at most 4 characters)", string(b))
	}
	// The shape as a base-2 number, a leading 1 then 1 for each letter and 0 for each digit:
	// A9 = 0b110, AA9A = 0b11101.
	shape := 1
	for _, c := range b {
		shape <<= 1
		if !isDigit(c) {
			shape |= 1
		}
	}
	const (
		a9   = 0b110
		a99  = 0b1100
		aa9  = 0b1110
		aa99 = 0b11100
		a9a  = 0b1101
		aa9a = 0b11101
	)
	switch shape {
	case a9, a99, aa9, aa99, a9a, aa9a:
	default:
		return fmt.Sprintf("outward code %s is not of the form A9, A99, AA9, AA99, A9A or AA9A", string(b))
	}
	letters := 1
	if shape == aa9 || shape == aa99 || shape == aa9a {
		letters = 2
	}
	if why := checkAreaLetters(b[:letters]); why != "" {
		return fmt.Sprintf("outward code %s: %s", string(b), why)
	}
	switch shape {
	case a9a:
		if strings.IndexByte(thirdA9A, b[2]) < 0 {
			return fmt.Sprintf("outward code %s: %c is not used as the last letter of an A9A outward code", string(b), b[2])
		}
	case aa9a:
		if strings.IndexByte(fourAA9A, b[3]) < 0 {
			return fmt.Sprintf("outward code %s: %c is not used as the last letter of an AA9A outward code", string(b), b[3])
		}
	}
	return ""
}

// checkInward checks an inward code 9AA: "" when valid, else the reason.
func checkInward(b []byte) string {
	if len(b) != 3 || !isDigit(b[0]) || !isUpper(b[1]) || !isUpper(b[2]) {
		return fmt.Sprintf("inward code %s: need a digit and two letters", string(b))
	}
	for _, c := range b[1:] {
		if strings.IndexByte(notInward, c) >= 0 {
			return fmt.Sprintf("inward code %s: %c is not used in inward codes (C, I, K, M, O and V are not)", string(b), c)
		}
	}
	return ""
}

// Kinds returned by Special.
const (
	SpecialNorthernIreland   = "northern-ireland"
	SpecialChannelIslands    = "channel-islands"
	SpecialIsleOfMan         = "isle-of-man"
	SpecialBritishForces     = "british-forces"
	SpecialOverseas          = "overseas-territory"
	SpecialNonGeographic     = "non-geographic"
	SpecialNHSPseudoPostcode = "nhs-pseudo-postcode"
)

const gbOnly = "Code-Point Open covers Great Britain only, and Cancer Alliances and ICBs cover England only"

var overseas = map[string]string{
	"ASCN": "Ascension Island",
	"STHL": "Saint Helena",
	"TDCU": "Tristan da Cunha",
	"BBND": "the British Indian Ocean Territory",
	"BIQQ": "the British Antarctic Territory",
	"FIQQ": "the Falkland Islands",
	"GX11": "Gibraltar",
	"PCRN": "the Pitcairn Islands",
	"SIQQ": "South Georgia and the South Sandwich Islands",
	"TKCA": "the Turks and Caicos Islands",
}

// Special describes postcodes the Code-Point data cannot hold: returns ("", "", false) for
// ordinary GB postcodes. It works on every kind (a full postcode, a sector, an outcode or an
// area), judging by the area letters and outward code. kind is one of the Special* constants.
func Special(p Postcode) (kind string, description string, ok bool) {
	if p.Kind == BFPONumber || p.Area == "BF" {
		return SpecialBritishForces, fmt.Sprintf("%s is a British Forces Post Office (BFPO) address: mail for the armed forces, with no fixed location", p.Normalised), true
	}
	if p.Outward == nhsPseudoOutward {
		return SpecialNHSPseudoPostcode, fmt.Sprintf("%s is an NHS pseudo-postcode (ZZ99), used in NHS records for e.g. no fixed abode or an unknown address; it is not a real postcode and has no location", p.Normalised), true
	}
	if name, ok := overseas[p.Outward]; ok {
		return SpecialOverseas, fmt.Sprintf("%s is the postcode of %s, a British overseas territory: outside the UK; %s", p.Normalised, name, gbOnly), true
	}
	if p.Kind == Area && p.Area == "GX" {
		return SpecialOverseas, fmt.Sprintf("GX is Gibraltar's postcode (GX11 1AA), a British overseas territory: outside the UK; %s", gbOnly), true
	}
	switch p.Outward {
	case "GIR":
		return SpecialNonGeographic, fmt.Sprintf("%s is a non-geographic postcode (created for Girobank): it has no location", p.Normalised), true
	case "XM4":
		return SpecialNonGeographic, fmt.Sprintf("%s is Royal Mail's non-geographic postcode for letters to Santa: it has no location", p.Normalised), true
	}
	switch p.Area {
	case "BT":
		return SpecialNorthernIreland, fmt.Sprintf("%s is in Northern Ireland (BT): %s", p.Normalised, gbOnly), true
	case "GY":
		return SpecialChannelIslands, fmt.Sprintf("%s is in Guernsey (GY), Channel Islands: a Crown Dependency, not part of the UK; %s", p.Normalised, gbOnly), true
	case "JE":
		return SpecialChannelIslands, fmt.Sprintf("%s is in Jersey (JE), Channel Islands: a Crown Dependency, not part of the UK; %s", p.Normalised, gbOnly), true
	case "IM":
		return SpecialIsleOfMan, fmt.Sprintf("%s is in the Isle of Man (IM): a Crown Dependency, not part of the UK; %s", p.Normalised, gbOnly), true
	case "BX":
		return SpecialNonGeographic, fmt.Sprintf("%s is a non-geographic postcode (BX): it routes mail to an organisation and has no location", p.Normalised), true
	}
	return "", "", false
}

func isASCII[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
