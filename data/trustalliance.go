package data

import (
	"io"
	"strings"
)

// TrustAlliance is one row of the Bennett Institute's mapping of NHS trusts to Cancer
// Alliances (ods_ca_mapping.csv), as given.
type TrustAlliance struct {
	Line         int    // 1-based line of the file
	TrustCode    string // ods_code: the trust's ODS code, e.g. "RHQ"
	TrustName    string // ods_name, mixed case as given ("Guy’s and St Thomas’ NHS Foundation Trust")
	AllianceName string // cancer_alliance_name, e.g. "Northern Cancer Alliance"; "" when unassigned
	AllianceCode string // cancer_alliance_code: the alliance's ODS code (N45..N99, L0S3P), not its ONS E56 code; "" when unassigned
	Notes        string // free text, e.g. "Also partners with the Thames Valley Cancer Alliance"; usually ""
}

// ReadTrustAlliances reads the trust -> Cancer Alliance mapping CSV (plain or gzipped) with a
// header naming the columns ods_code, ods_name, cancer_alliance_name, cancer_alliance_code
// and notes (any order and case; notes optional). It returns every row as given, trimmed,
// including trusts assigned to no alliance (mental health, community, ambulance trusts: empty
// alliance name and code). Each row needs an ODS code not seen before; the alliance name and
// code must be both present or both empty, and the code must be an ODS code.
//
// Errors are *RowError values naming name and the line, wrapping ErrMissingColumn,
// ErrMalformedRow, ErrDuplicateCode or ErrNoRows.
func ReadTrustAlliances(r io.Reader, name string) ([]TrustAlliance, error) {
	cr, done, err := newCSVReader(r, name, 0)
	if err != nil {
		return nil, err
	}
	defer done()
	_, col, err := readHeader(cr, name)
	if err != nil {
		return nil, err
	}
	idx, err := requireColumns(col, name, "the trust to Cancer Alliance mapping",
		"ods_code", "ods_name", "cancer_alliance_name", "cancer_alliance_code")
	if err != nil {
		return nil, err
	}
	notes, hasNotes := col["notes"]
	var rows []TrustAlliance
	seen := map[string]int{}
	err = eachRow(cr, name, func(rec []string, at csvRow) error {
		f := func(i int) string { return strings.TrimSpace(rec[i]) }
		ta := TrustAlliance{Line: at.line, TrustCode: f(idx[0]), TrustName: f(idx[1]), AllianceName: f(idx[2]), AllianceCode: f(idx[3])}
		if hasNotes {
			ta.Notes = f(notes)
		}
		if !isODSCode(ta.TrustCode) {
			return at.bad("ods_code %q is not an ODS code", ta.TrustCode)
		}
		if err := at.unique(seen, "trust", ta.TrustCode); err != nil {
			return err
		}
		if (ta.AllianceName == "") != (ta.AllianceCode == "") {
			return at.bad("%s: cancer_alliance_name %q but cancer_alliance_code %q: need both or neither", ta.TrustCode, ta.AllianceName, ta.AllianceCode)
		}
		if ta.AllianceCode != "" && !isODSCode(ta.AllianceCode) {
			return at.bad("%s: cancer_alliance_code %q is not an ODS code", ta.TrustCode, ta.AllianceCode)
		}
		rows = append(rows, ta)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, &RowError{File: name, Kind: ErrNoRows, Reason: "header but no data rows"}
	}
	return rows, nil
}

// ReadTrustAlliancesFile reads the mapping at path (plain or gzipped) with ReadTrustAlliances.
func ReadTrustAlliancesFile(path string) ([]TrustAlliance, error) {
	return readPath(path, ReadTrustAlliances)
}
