package data_test

import (
	"fmt"
	"strings"

	"github.com/nhs-geo/alliance/data"
)

func ExampleReadableName() {
	for _, s := range []string{
		"SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST",
		"GUY'S AND ST THOMAS' NHS FOUNDATION TRUST",
		"THE NEWCASTLE UPON TYNE HOSPITALS NHS FOUNDATION TRUST",
		"NHS SOUTH YORKSHIRE ICB - 03N",
		"University Hospitals Of Derby And Burton NHS Foundation Trust",
	} {
		fmt.Println(data.ReadableName(s))
	}
	// Output:
	// Sheffield Teaching Hospitals NHS Foundation Trust
	// Guy's and St Thomas' NHS Foundation Trust
	// The Newcastle upon Tyne Hospitals NHS Foundation Trust
	// NHS South Yorkshire ICB - 03N
	// University Hospitals of Derby and Burton NHS Foundation Trust
}

func ExampleLookup_Column() {
	// The 2022 lookup as geographr re-publishes it: snake case, "ltla" for districts.
	const doc = `"lsoa11_name","lsoa11_code","sicbl22_code","sicbl22_code_h","icb22_code","ltla22_name","ltla22_code"
"Sheffield 001A","E01007321","E38000146","03N","E54000061","Sheffield","E08000039"
`
	l, err := data.ReadLookup(strings.NewReader(doc), "lsoa11-sicbl22-icb22-lad22.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Join(l.Header, " "))
	// Yearless keys: no need to know the edition.
	cols, err := l.Columns("LSOA", "SICBLCDH", "ICB", "LAD", "LADNM")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range l.Rows {
		fmt.Println(r[cols[0]], r[cols[1]], r[cols[2]], r[cols[3]], r[cols[4]])
	}
	_, err = l.Column("CAL")
	fmt.Println(err)
	// Output:
	// LSOA11NM LSOA11CD SICBL22CD SICBL22CDH ICB22CD LAD22NM LAD22CD
	// E01007321 03N E54000061 E08000039 Sheffield
	// lsoa11-sicbl22-icb22-lad22.csv: line 1: no column "CAL" (have LSOA11NM, LSOA11CD, SICBL22CD, SICBL22CDH, ICB22CD, LAD22NM, LAD22CD)
}

func ExampleReadTrusts() {
	const etr = `"RHQ","SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST","Y63","QF7","NORTHERN GENERAL HOSPITAL","HERRIES ROAD","","SHEFFIELD","","S5 7AU","20010401","","","","","","","0114 243 4343","","","","1","","D","","",""
"R0C","PROJECT NIGHTINGALE NHS TRUST","Y56","QMF","ROYAL VICTORIA DOCK","1 WESTERN GATEWAY","","LONDON","","E16 1XL","20200301","20200326","","","","","","","","","","1","","H","","",""
`
	trusts, err := data.ReadTrusts(strings.NewReader(etr), "etr.csv")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range trusts {
		state := "open"
		if !t.Closed.IsZero() {
			state = "closed " + t.Closed.Format("2006-01-02")
		}
		fmt.Printf("%s %s, %s (ICB %s): %s\n", t.Code, data.ReadableName(t.Name), t.Postcode, t.HealthGeography, state)
	}
	// Output:
	// RHQ Sheffield Teaching Hospitals NHS Foundation Trust, S5 7AU (ICB QF7): open
	// R0C Project Nightingale NHS Trust, E16 1XL (ICB QMF): closed 2020-03-26
}
