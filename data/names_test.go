package data

import (
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
)

func TestReadableName(t *testing.T) {
	tests := []struct{ in, want string }{
		// Real names from the ODS trust list (etr.csv).
		{"SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST", "Sheffield Teaching Hospitals NHS Foundation Trust"},
		{"ST GEORGE'S UNIVERSITY HOSPITALS NHS FOUNDATION TRUST", "St George's University Hospitals NHS Foundation Trust"},
		{"GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"},
		{"THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS FOUNDATION TRUST", "The Queen Elizabeth Hospital, King's Lynn, NHS Foundation Trust"},
		{"THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST", "The Newcastle upon Tyne Hospitals NHS Foundation Trust"},
		{"ROYAL BROMPTON & HAREFIELD NHS FOUNDATION TRUST", "Royal Brompton & Harefield NHS Foundation Trust"},
		{"BIRMINGHAM WOMEN'S AND CHILDREN'S NHS FOUNDATION TRUST", "Birmingham Women's and Children's NHS Foundation Trust"},
		{"TEES, ESK AND WEAR VALLEYS NHS FOUNDATION TRUST", "Tees, Esk and Wear Valleys NHS Foundation Trust"},
		{"THE ONLINE NHS TRUST", "The Online NHS Trust"},
		{"UNIVERSITY HOSPITALS OF DERBY AND BURTON NHS FOUNDATION TRUST", "University Hospitals of Derby and Burton NHS Foundation Trust"},
		{"NORTH LONDON NHS FOUNDATION TRUST", "North London NHS Foundation Trust"},
		{"HEALTH EDUCATION ENGLAND", "Health Education England"},
		{"2GETHER NHS FOUNDATION TRUST", "2gether NHS Foundation Trust"},
		// Hyphens, apostrophes, acronyms, small words.
		{"STOKE-ON-TRENT", "Stoke-on-Trent"},
		{"WESTON-SUPER-MARE GENERAL HOSPITAL", "Weston-super-Mare General Hospital"},
		{"CHESTER-LE-STREET", "Chester-le-Street"},
		{"LE MARCHANT HOUSE", "Le Marchant House"},
		{"NORTH-EAST LONDON", "North-East London"},
		{"WALTON HOSPITAL - THE TRUST", "Walton Hospital - The Trust"},
		{"HOSPITAL (THE ANNEXE)", "Hospital (The Annexe)"},
		{"O'NEILL WARD", "O'Neill Ward"},
		{"ST MARY’S HOSPITAL", "St Mary’s Hospital"},
		{"NHS SOUTH YORKSHIRE ICB - 03N", "NHS South Yorkshire ICB - 03N"},
		{"ST. ASAPH", "St. Asaph"},
		{"3RD FLOOR, 21ST CENTURY HOUSE, UNIT 4B, M62 J26", "3rd Floor, 21st Century House, Unit 4B, M62 J26"},
		{"COVID19 UNIT", "Covid19 Unit"},
		{"A AND E", "A and E"},
		{"OF THE PEOPLE", "Of the People"},
		// Mixed-case input: words kept, acronyms and small words put right.
		{"University Hospitals Of Derby And Burton NHS Foundation Trust", "University Hospitals of Derby and Burton NHS Foundation Trust"},
		{"McLaren Nhs Unit", "McLaren NHS Unit"},
		{"Sheffield Teaching Hospitals NHS Foundation Trust", "Sheffield Teaching Hospitals NHS Foundation Trust"},
		// Not Latin, spacing, invalid UTF-8, empty.
		{"YSBYTY GWYNEDD  ", "Ysbyty Gwynedd  "},
		{"ÉCOLE ÀÉ", "École Àé"},
		{"BAD \xff NAME", "Bad \xff Name"},
		{"", ""},
		{" & ", " & "},
	}
	for _, tt := range tests {
		if got := ReadableName(tt.in); got != tt.want {
			t.Errorf("ReadableName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := ReadableName(tt.want); got != tt.want {
			t.Errorf("ReadableName(%q) = %q: not idempotent", tt.want, got)
		}
	}
}

// TestReadableNameReal compares ReadableName of the ODS trust names with the names the Bennett
// Institute's mapping writes by hand. Where they differ, it must be in wording (renamed trusts,
// "&" for "and", typos in the mapping), never in letter case alone.
func TestReadableNameReal(t *testing.T) {
	ts, err := ReadTrustsFile(testenv.SharedData(t, "sources", "ods-etr-2026", "etr.csv"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadTrustAlliancesFile(testenv.SharedData(t, "sources", "bennett-trust-cancer-alliance-2026", "ods_ca_mapping.csv"))
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]Trust{}
	for _, tr := range ts {
		byCode[tr.Code] = tr
	}
	// The mapping's own case slips, checked by eye.
	mappingTypos := map[string]bool{"RX6": true} // "NHS Foundation TRust"
	same, differ := 0, 0
	for _, ta := range m {
		tr, ok := byCode[ta.TrustCode]
		if !ok {
			continue
		}
		got := ReadableName(tr.Name)
		// Put the mapping's "Of", "And" and ’ right, so that only wording differs.
		mapping := ReadableName(strings.ReplaceAll(ta.TrustName, "’", "'"))
		switch {
		case got == mapping:
			same++
		case strings.EqualFold(got, mapping) && !mappingTypos[ta.TrustCode]:
			t.Errorf("%s: ReadableName(%q) = %q; the mapping writes %q", ta.TrustCode, tr.Name, got, ta.TrustName)
		default:
			differ++
		}
	}
	t.Logf("%d names agree, %d differ in wording (renamed trusts, \"&\" for \"and\", typos in the mapping)", same, differ)
	if same < 180 {
		t.Errorf("only %d of %d names agree", same, same+differ)
	}
}
