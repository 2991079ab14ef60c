package directory

// LayerSource says where one layer of an edition comes from and what the importer expects.
type LayerSource struct {
	Type     AreaType
	File     string   // relative to the data directory
	Prefixes []string // ONS key prefixes of the layer's own code and name (cal21cd → "cal")
	Features int      // expected feature count; the import fails on any other
}

// EditionInfo describes one edition: its layers, where they came from and what to beware of.
type EditionInfo struct {
	ID          Edition       `json:"id"`
	Title       string        `json:"title"`
	ValidFrom   string        `json:"valid_from"` // the date the boundaries describe
	Description string        `json:"description"`
	Caveats     []string      `json:"caveats"`
	Layers      []LayerSource `json:"-"`
}

// DefaultEdition is the newest edition, answered when a request names none.
const DefaultEdition Edition = "2023"

// CountryLayer is the UK countries layer, which belongs to no edition and is part of every answer.
var CountryLayer = LayerSource{Type: Country, File: "boundaries/countries/uk-countries-2020.geojson", Prefixes: []string{"country", "ctry"}, Features: 4}

// Editions lists every edition, oldest first.
var Editions = []EditionInfo{
	{
		ID:          "2017",
		Title:       "19 Cancer Alliances and 44 STP footprints (February 2017)",
		ValidFrom:   "2017-02-01",
		Description: "The 16 Cancer Alliances and 3 National Cancer Vanguards as set up in 2016–2017, with the 44 Sustainability and Transformation Partnership footprints of February 2017.",
		Caveats: []string{
			"The alliance outlines are those of April 2018; the same 19 alliances and vanguards held in 2017.",
			"Cancer Alliances did not nest inside STPs: look both up, do not derive one from the other.",
		},
		Layers: []LayerSource{
			{Type: CancerAlliance, File: "boundaries/2018/cancer-alliances.geojson", Prefixes: []string{"calncv", "cal"}, Features: 19},
			{Type: STP, File: "boundaries/2018/stp-44-feb2017.geojson", Prefixes: []string{"stp"}, Features: 44},
		},
	},
	{
		ID:          "2018",
		Title:       "19 Cancer Alliances, 42 STPs and 195 CCGs (April 2018)",
		ValidFrom:   "2018-04-01",
		Description: "Cancer Alliances and National Cancer Vanguards, the 42 STP footprints and the 195 Clinical Commissioning Groups of April 2018.",
		Caveats: []string{
			"Three northern STPs merged into E54000049 (Cumbria and North East) in April 2018.",
			"Cancer Alliances did not nest inside STPs (North Derbyshire and Hardwick were in the South Yorkshire alliance but the Derbyshire STP).",
		},
		Layers: []LayerSource{
			{Type: CancerAlliance, File: "boundaries/2018/cancer-alliances.geojson", Prefixes: []string{"calncv", "cal"}, Features: 19},
			{Type: STP, File: "boundaries/2018/stp-42-apr2018.geojson", Prefixes: []string{"stp"}, Features: 42},
			{Type: CCG, File: "boundaries/2018/ccg.geojson", Prefixes: []string{"ccg"}, Features: 195},
		},
	},
	{
		ID:          "2021",
		Title:       "21 Cancer Alliances, 42 STPs/ICSs and 106 CCGs (April 2021)",
		ValidFrom:   "2021-04-01",
		Description: "The 21 Cancer Alliances of April 2021 (ONS definition: whole CCGs), the 42 STP/ICS footprints and the 106 CCGs of April 2021.",
		Caveats: []string{
			"Alliance and STP outlines are dissolves of the ONS CCG polygons by the official ONS lookup.",
		},
		Layers: []LayerSource{
			{Type: CancerAlliance, File: "boundaries/2021/cancer-alliances.geojson", Prefixes: []string{"cal"}, Features: 21},
			{Type: STP, File: "boundaries/2021/stp.geojson", Prefixes: []string{"stp"}, Features: 42},
			{Type: CCG, File: "boundaries/2021/ccg.geojson", Prefixes: []string{"ccg"}, Features: 106},
		},
	},
	{
		ID:          "2023",
		Title:       "42 Integrated Care Boards, 106 Sub-ICB locations, 7 NHS regions, 21 Cancer Alliances (April 2023)",
		ValidFrom:   "2023-04-01",
		Description: "The 42 Integrated Care Boards and 106 Sub-ICB locations of April 2023 (the same areas in 2024), the 7 NHS England regions of January 2024, and the 21 Cancer Alliances of 2021 applied to the 2023 Sub-ICB outlines.",
		Caveats: []string{
			"The alliance layer is the 2021 alliance assignment applied to the 2023 Sub-ICB outlines: an approximation of today's alliances (Glossop falls in East Midlands here).",
			"Cancer Alliances were renumbered in 2024 (20 alliances, codes E56000031–E56000035); no public boundary file of that edition was available, so these codes are the 2021 ones.",
		},
		Layers: []LayerSource{
			{Type: CancerAlliance, File: "boundaries/2023/cancer-alliances-2021-assignment.geojson", Prefixes: []string{"cal"}, Features: 21},
			{Type: ICB, File: "boundaries/2023/icb.geojson", Prefixes: []string{"icb"}, Features: 42},
			{Type: SubICB, File: "boundaries/2023/sub-icb.geojson", Prefixes: []string{"sicbl"}, Features: 106},
			{Type: NHSRegion, File: "boundaries/2023/nhs-regions.geojson", Prefixes: []string{"nhser"}, Features: 7},
		},
	},
}

// PostcodeDir is the Code-Point Open folder, relative to the data directory.
const PostcodeDir = "postcodes/codepoint-open-2025-10"

// Attribution must be shown wherever the data is shown.
var Attribution = []string{
	"Source: Office for National Statistics licensed under the Open Government Licence v.3.0.",
	"Contains OS data © Crown copyright and database right 2025.",
	"Contains Royal Mail data © Royal Mail copyright and database right 2025.",
}

// footprintType is the ICS footprint layer of an edition: STP until 2021, ICB from 2023.
func footprintType(e Edition) AreaType {
	if e >= "2023" {
		return ICB
	}
	return STP
}
