package data

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParsePostcode(t *testing.T) {
	tests := []struct {
		in   string
		want Postcode
	}{
		{" sw1a1aa ", Postcode{FullPostcode, "SW1A 1AA", "SW1A", "1AA", "SW", "SW1A 1"}},
		{"SW1A 1AA", Postcode{FullPostcode, "SW1A 1AA", "SW1A", "1AA", "SW", "SW1A 1"}},
		{"S1 2hE", Postcode{FullPostcode, "S1 2HE", "S1", "2HE", "S", "S1 2"}},
		{"s12he", Postcode{FullPostcode, "S1 2HE", "S1", "2HE", "S", "S1 2"}},
		// Full-width forms and no-break spaces, as some keyboards type them.
		{"ＳＷ１Ａ　１ＡＡ", Postcode{FullPostcode, "SW1A 1AA", "SW1A", "1AA", "SW", "SW1A 1"}},
		{"s1\u00a02he", Postcode{FullPostcode, "S1 2HE", "S1", "2HE", "S", "S1 2"}},
		{"s1   2he", Postcode{FullPostcode, "S1 2HE", "S1", "2HE", "S", "S1 2"}},
		{"S 1 2 H E", Postcode{FullPostcode, "S1 2HE", "S1", "2HE", "S", "S1 2"}},
		{"M1 1AE", Postcode{FullPostcode, "M1 1AE", "M1", "1AE", "M", "M1 1"}},
		{"B33 8TH", Postcode{FullPostcode, "B33 8TH", "B33", "8TH", "B", "B33 8"}},
		{"CR2 6XH", Postcode{FullPostcode, "CR2 6XH", "CR2", "6XH", "CR", "CR2 6"}},
		{"DN55 1PT", Postcode{FullPostcode, "DN55 1PT", "DN55", "1PT", "DN", "DN55 1"}},
		{"W1A 0AX", Postcode{FullPostcode, "W1A 0AX", "W1A", "0AX", "W", "W1A 0"}},
		{"EC1A 1BB", Postcode{FullPostcode, "EC1A 1BB", "EC1A", "1BB", "EC", "EC1A 1"}},
		{"E1W 1AA", Postcode{FullPostcode, "E1W 1AA", "E1W", "1AA", "E", "E1W 1"}},
		{"N1C 4AA", Postcode{FullPostcode, "N1C 4AA", "N1C", "4AA", "N", "N1C 4"}},
		{"BT1 1AA", Postcode{FullPostcode, "BT1 1AA", "BT1", "1AA", "BT", "BT1 1"}},
		{"GY1 1AA", Postcode{FullPostcode, "GY1 1AA", "GY1", "1AA", "GY", "GY1 1"}},
		{"gir0aa", Postcode{FullPostcode, "GIR 0AA", "GIR", "0AA", "GIR", "GIR 0"}},
		{"XM4 5HQ", Postcode{FullPostcode, "XM4 5HQ", "XM4", "5HQ", "XM", "XM4 5"}},
		{"ascn 1zz", Postcode{FullPostcode, "ASCN 1ZZ", "ASCN", "1ZZ", "ASCN", "ASCN 1"}},
		{"GX11 1AA", Postcode{FullPostcode, "GX11 1AA", "GX11", "1AA", "GX", "GX11 1"}},
		{"BF1 3AD", Postcode{FullPostcode, "BF1 3AD", "BF1", "3AD", "BF", "BF1 3"}},
		{"ZZ99 3VZ", Postcode{FullPostcode, "ZZ99 3VZ", "ZZ99", "3VZ", "ZZ", "ZZ99 3"}},
		{"bfpo 123", Postcode{BFPONumber, "BFPO 123", "BFPO", "123", "BFPO", ""}},
		{"BFPO1", Postcode{BFPONumber, "BFPO 1", "BFPO", "1", "BFPO", ""}},
		{"S18", Postcode{Outcode, "S18", "S18", "", "S", ""}},
		{"sw1a", Postcode{Outcode, "SW1A", "SW1A", "", "SW", ""}},
		{"S11", Postcode{Outcode, "S11", "S11", "", "S", ""}},
		{"SW1 A", Postcode{Outcode, "SW1A", "SW1A", "", "SW", ""}},
		{"s18 1", Postcode{Sector, "S18 1", "S18", "", "S", "S18 1"}},
		{"S1 1", Postcode{Sector, "S1 1", "S1", "", "S", "S1 1"}},
		{"S181", Postcode{Sector, "S18 1", "S18", "", "S", "S18 1"}},
		{"SW1A1", Postcode{Sector, "SW1A 1", "SW1A", "", "SW", "SW1A 1"}},
		{"sw", Postcode{Area, "SW", "", "", "SW", ""}},
		{" S ", Postcode{Area, "S", "", "", "S", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePostcode(tt.in)
			if err != nil {
				t.Fatalf("ParsePostcode(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParsePostcode(%q) =\n  %+v\nwant\n  %+v", tt.in, got, tt.want)
			}
			again, err := ParsePostcode(got.Normalised)
			if err != nil || again != got {
				t.Errorf("re-parse of %q = %+v, %v", got.Normalised, again, err)
			}
		})
	}
}

func TestParsePostcodeInvalid(t *testing.T) {
	tests := []struct {
		in, why string
	}{
		{"", "empty"},
		{"   ", "empty"},
		{"SW1A\t1AA", "control character"},
		{"SW1A\x001AA", "control character"},
		{"SW1A 1AA\n", "control character"},
		{"SW1A 1AA\x7f", "control character"},
		{"SW1A 1ÄA", "non-ASCII"},
		{"SW1A-1AA", `contains '-'`},
		{"SW1A 1AA         ", "longer than 16 characters"},
		{"AAAAAAAAAAAAAAAAA", "longer than 16 characters"},
		{"ＳＷ１Ａ　１ＡＡ　ＳＷ１Ａ　１ＡＡ", "longer than 16 characters"},
		{"S1 2HÉ", "non-ASCII"},
		{"Q1 1AA", "no postcode starts with Q"},
		{"V1 1AA", "no postcode starts with V"},
		{"X1 1AA", "no postcode starts with X"},
		{"AI1 1AA", "I is not used as the second letter"},
		{"AJ1 1AA", "J is not used as the second letter"},
		{"AZ1 1AA", "Z is not used as the second letter"},
		{"S1 1CA", "C is not used in inward codes"},
		{"S1 1AI", "I is not used in inward codes"},
		{"S1 1KA", "K is not used in inward codes"},
		{"S1 1MA", "M is not used in inward codes"},
		{"S1 1AO", "O is not used in inward codes"},
		{"S1 1VA", "V is not used in inward codes"},
		{"W1I 1AA", "I is not used as the last letter of an A9A outward code"},
		{"EC1C 1AA", "C is not used as the last letter of an AA9A outward code"},
		{"SWA1 1AA", "not of the form"},
		{"S123 1AA", "not of the form"},
		{"1S 1AA", "not of the form"},
		{"SW1AB 1AA", "too long"},
		{"GIR 1AA", "GIR is only used in GIR 0AA"},
		{"ASCN 2ZZ", "ASCN is only used in ASCN 1ZZ"},
		{"XM4 1AA", "XM4 is only used in XM4 5HQ"},
		{"XM5 1AA", "no postcode starts with X"},
		{"S1 1A", "incomplete inward code 1A"},
		{"S11A", "incomplete inward code 1A"},
		{"S1 AB", "inward code AB: need a digit and two letters"},
		{"S1 11", "inward code 11"},
		{"S1 1 1", "too many spaces"},
		{"BFPO", "BFPO needs its number"},
		{"BFPO 12345", "not a postcode"},
		{"SW1A 1AA 1", "not a postcode"},
		{"1", "not of the form"},
		{"QQ", "no postcode starts with Q"},
		{"SZ", "Z is not used as the second letter"},
		{"SWA", "not of the form"},
		// Overseas territories with non-UK formats.
		{"KY1-1001", `contains '-'`},
		{"VG1110", "too long"},
		{"MSR 1110", "not of the form"},
		{"AI-2640", `contains '-'`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			p, err := ParsePostcode(tt.in)
			if err == nil {
				t.Fatalf("ParsePostcode(%q) = %+v, want an error", tt.in, p)
			}
			if !errors.Is(err, ErrInvalidPostcode) {
				t.Errorf("error %v does not wrap ErrInvalidPostcode", err)
			}
			if !strings.HasPrefix(err.Error(), "invalid postcode: ") || !strings.Contains(err.Error(), tt.why) {
				t.Errorf("error %q, want \"invalid postcode: ...%s...\"", err, tt.why)
			}
			if p != (Postcode{}) {
				t.Errorf("non-zero Postcode %+v with an error", p)
			}
		})
	}
}

func TestSpecial(t *testing.T) {
	tests := []struct {
		in, kind, desc string // desc: substring of the description; kind "" for ordinary postcodes
	}{
		{"S1 2HE", "", ""},
		{"SW1A 1AA", "", ""},
		{"S18", "", ""},
		{"KY1 1AA", "", ""}, // Kirkcaldy, not the Cayman Islands
		{"ZE1 0AA", "", ""}, // Shetland is in Great Britain
		{"BT1 1AA", SpecialNorthernIreland, "Northern Ireland"},
		{"BT48", SpecialNorthernIreland, "Northern Ireland"},
		{"BT48 6", SpecialNorthernIreland, "Northern Ireland"},
		{"BT", SpecialNorthernIreland, "Northern Ireland"},
		{"GY1 1AA", SpecialChannelIslands, "Guernsey"},
		{"JE2 3AB", SpecialChannelIslands, "Jersey"},
		{"IM1 1AA", SpecialIsleOfMan, "Isle of Man"},
		{"GIR 0AA", SpecialNonGeographic, "Girobank"},
		{"XM4 5HQ", SpecialNonGeographic, "Santa"},
		{"BX1 1LT", SpecialNonGeographic, "non-geographic"},
		{"BFPO 123", SpecialBritishForces, "British Forces Post Office"},
		{"BF1 3AD", SpecialBritishForces, "British Forces Post Office"},
		{"ZZ99 3VZ", SpecialNHSPseudoPostcode, "NHS pseudo-postcode"},
		{"ASCN 1ZZ", SpecialOverseas, "Ascension Island"},
		{"STHL 1ZZ", SpecialOverseas, "Saint Helena"},
		{"TDCU 1ZZ", SpecialOverseas, "Tristan da Cunha"},
		{"BBND 1ZZ", SpecialOverseas, "British Indian Ocean Territory"},
		{"BIQQ 1ZZ", SpecialOverseas, "British Antarctic Territory"},
		{"FIQQ 1ZZ", SpecialOverseas, "Falkland Islands"},
		{"GX11 1AA", SpecialOverseas, "Gibraltar"},
		{"PCRN 1ZZ", SpecialOverseas, "Pitcairn"},
		{"SIQQ 1ZZ", SpecialOverseas, "South Georgia"},
		{"TKCA 1ZZ", SpecialOverseas, "Turks and Caicos"},
		{"GX", SpecialOverseas, "Gibraltar"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePostcode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			kind, desc, ok := Special(p)
			if tt.kind == "" {
				if ok || kind != "" || desc != "" {
					t.Errorf("Special(%s) = %q, %q, %v; want an ordinary postcode", p, kind, desc, ok)
				}
				return
			}
			if !ok || kind != tt.kind || !strings.Contains(desc, tt.desc) || !strings.Contains(desc, p.Normalised) {
				t.Errorf("Special(%s) = %q, %q, %v; want kind %q, description naming it and containing %q", p, kind, desc, ok, tt.kind, tt.desc)
			}
		})
	}
}

func TestPostcodeKindString(t *testing.T) {
	for k, want := range map[PostcodeKind]string{FullPostcode: "postcode", Sector: "sector", Outcode: "outcode", Area: "area", BFPONumber: "bfpo", 0: "PostcodeKind(0)"} {
		if k.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(k), k.String(), want)
		}
	}
}

func BenchmarkParsePostcode(b *testing.B) {
	for b.Loop() {
		if _, err := ParsePostcode("sw1a1aa"); err != nil {
			b.Fatal(err)
		}
	}
}
