// Package data reads the source formats behind the alliance directory: ONS-style GeoJSON
// boundary layers, OS Code-Point Open postcode CSVs and its code list, the ONS National
// Statistics Postcode Lookup (used as ground truth), ONS area lookups, the NHS ODS trust list,
// a trust to Cancer Alliance mapping, NHS.UK's hospital sites, and UK postcode syntax. It also
// converts British National Grid references (OSGB36, EPSG:27700) to WGS84 longitude/latitude.
//
// The package holds readers only: no database, no caching and no policy about which edition
// or layer answers a question, which trust belongs to which alliance or how a name is shown.
// [ReadLookup], [ReadTrusts], [ReadTrustAlliances], [ReadHospitals] and [ReadCodeList] take an
// io.Reader and a name for errors, and each has a ...File variant that opens a path; the CSV
// readers among them take plain or gzipped input alike and skip a UTF-8 byte-order mark. Every reader validates what it reads and returns errors that
// name the file, the feature or line, and the reason, wrapping exported sentinel errors so
// callers can test them with errors.Is:
//
//	feats, err := data.ReadLayer(f, "boundaries/2021/stp.geojson", []string{"stp"})
//	if errors.Is(err, data.ErrProjection) { ... }
//
// Reading the data:
//
//   - [ReadLayer] reads one GeoJSON FeatureCollection of Polygon/MultiPolygon areas whose
//     properties follow the ONS convention <TYPE><YY>CD / NM / CDH (any case), or
//     <TYPE><YY>_code / _name.
//   - [ReadCodePointDir] streams every row of OS Code-Point Open (Data/CSV/*.csv.gz), converting
//     grid references to WGS84 on all cores while calling the callback from one goroutine.
//   - [ReadNSPL] and [ReadNSPLDir] read the ONS National Statistics Postcode Lookup CSV by
//     column name.
//   - [ParsePostcode] checks UK postcode syntax for full postcodes, sectors and outcodes, and
//     [Special] recognises postcodes Code-Point Open (Great Britain only) cannot hold:
//     Northern Ireland, the Channel Islands, the Isle of Man, British Forces, overseas
//     territories and well-known non-geographic postcodes.
//   - [ReadLookup] reads an ONS area lookup CSV (LSOA -> CCG/Sub-ICB -> STP/ICB -> Cancer
//     Alliance -> district) into rows of codes; [Lookup.Column] finds a column by its ONS key
//     in any spelling, with or without the year ("LAD" finds LAD21CD, or LAD22CD from
//     geographr's "ltla22_code").
//   - [ReadTrusts] reads the NHS ODS trust list (etr.csv, no header); [ReadableName] turns its
//     capitals into the mixed case people write ("St George's University Hospitals NHS
//     Foundation Trust").
//   - [ReadTrustAlliances] reads the Bennett Institute's trust -> Cancer Alliance mapping as given.
//   - [ReadHospitals] reads NHS.UK's hospital sites (Hospital.csv: "¬"-separated, Windows-1252).
//   - [ReadCodeList] reads the names of Code-Point Open's county, district and ward codes from
//     its Doc/Codelist.xlsx.
//   - [OSGBToWGS84] converts OSGB36 eastings/northings to WGS84 with the Ordnance Survey's
//     published transverse Mercator and 7-parameter Helmert formulas (accurate to a few
//     metres; median well under a metre against ONS's own coordinates).
//
// The data is open data under the Open Government Licence v3.0; see the README of the shared
// data folder for the attribution a service must show.
package data
