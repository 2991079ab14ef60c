package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"strings"
	"testing"

	"github.com/nhs-geo/alliance/internal/testenv"
)

const nsplHeader = `pcd,pcd2,pcds,dointr,doterm,usertype,oseast1m,osnrth1m,osgrdind,ctry,lat,long,ccg,calncv,stp`

func TestReadNSPL(t *testing.T) {
	doc := nsplHeader + "\n" +
		`"HX1 1AA","HX1  1AA","HX1 1AA","199002","","1","409503","0425335","1","E92000001",53.724334,-1.857458,"E38000025","E56000030","E54000054"` + "\n" +
		`"HX1 1AB","HX1  1AB","HX1 1AB","201209","201504","0","409309","0425466","1","E92000001",53.725515,-1.860394,"E38000025","E56000030","E54000054"` + "\n" +
		`"GY1 1AA","GY1  1AA","GY1 1AA","198001","","0","","","9","L93000001",99.999999,0.000000,"","",""` + "\n"
	var got []NSPLRow
	check := func(t *testing.T) {
		t.Helper()
		if len(got) != 3 {
			t.Fatalf("%d rows, want 3", len(got))
		}
		want := NSPLRow{Postcode: "HX1 1AA", UserType: 1, HasLocation: true, Lat: 53.724334, Lon: -1.857458,
			Easting: 409503, Northing: 425335, Country: "E92000001", Alliance: "E56000030", STP: "E54000054", CCG: "E38000025"}
		if got[0] != want {
			t.Errorf("row 0 = %+v\nwant    %+v", got[0], want)
		}
		if !got[1].Terminated || got[1].UserType != 0 {
			t.Errorf("row 1 = %+v, want terminated", got[1])
		}
		if g := got[2]; g.HasLocation || g.Lat != 0 || g.Lon != 0 || g.Easting != 0 || g.Country != "L93000001" {
			t.Errorf("row 2 = %+v, want no location", g)
		}
	}
	t.Run("plain", func(t *testing.T) {
		got = nil
		if err := ReadNSPL(strings.NewReader(doc), func(r NSPLRow) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		check(t)
	})
	t.Run("gzip", func(t *testing.T) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write([]byte(doc))
		zw.Close()
		got = nil
		if err := ReadNSPL(&buf, func(r NSPLRow) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		check(t)
	})
	t.Run("columns in another order, upper case, no optional columns", func(t *testing.T) {
		doc := "\ufeffLAT,LONG,PCDS,DOTERM,USERTYPE,OSEAST1M,OSNRTH1M,CTRY\n53.7,-1.8,hx1 1aa,,0,409503,425335,E92000001\n"
		got = nil
		if err := ReadNSPL(strings.NewReader(doc), func(r NSPLRow) error { got = append(got, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Postcode != "HX1 1AA" || got[0].Lat != 53.7 || got[0].Alliance != "" {
			t.Errorf("got %+v", got)
		}
	})
}

func TestReadNSPLErrors(t *testing.T) {
	row := `"HX1 1AA","HX1  1AA","HX1 1AA","199002","","1","409503","0425335","1","E92000001",53.724334,-1.857458,"E38000025","E56000030","E54000054"`
	tests := []struct {
		name, doc string
		wantErr   error
		wantMsg   string
	}{
		{"empty", "", ErrMissingColumn, "NSPL: empty file"},
		{"missing columns", "pcds,lat\n", ErrMissingColumn, "NSPL: line 1: header lacks column(s) doterm, usertype, oseast1m, osnrth1m, long, ctry"},
		{"short row", nsplHeader + "\n" + row + "\n" + `"HX1 1AB","x"` + "\n", ErrMalformedRow, "NSPL: line 3: wrong number of fields"},
		{"bad lat", nsplHeader + "\n" + strings.Replace(row, "53.724334", "north", 1) + "\n", ErrMalformedRow, `NSPL: line 2: lat "north" is not a number`},
		{"bad easting", nsplHeader + "\n" + strings.Replace(row, `"409503"`, `"4095x3"`, 1) + "\n", ErrMalformedRow, `oseast1m "4095x3" is not a number`},
		{"lat out of range", nsplHeader + "\n" + strings.Replace(row, "53.724334", "153.7", 1) + "\n", ErrMalformedRow, "out of range"},
		{"empty pcds", nsplHeader + "\n" + strings.Replace(row, `"HX1 1AA","HX1  1AA","HX1 1AA"`, `"","",""`, 1) + "\n", ErrMalformedRow, "empty pcds"},
		{"bare quote", nsplHeader + "\n" + `"HX1 1AA,x` + "\n", ErrMalformedRow, "NSPL: line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadNSPL(strings.NewReader(tt.doc), func(NSPLRow) error { return nil })
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %v\nwant %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
		})
	}
	t.Run("callback error", func(t *testing.T) {
		stop := errors.New("stop")
		if err := ReadNSPL(strings.NewReader(nsplHeader+"\n"+row+"\n"), func(NSPLRow) error { return stop }); err != stop {
			t.Errorf("error %v, want the callback's", err)
		}
	})
	t.Run("dir without files", func(t *testing.T) {
		if err := ReadNSPLDir(t.TempDir(), func(NSPLRow) error { return nil }); !errors.Is(err, ErrNoFiles) {
			t.Errorf("error %v, want ErrNoFiles", err)
		}
	})
}

// TestReadNSPLDirReal reads the NSPL sample: the README's count of live English postcodes with
// coordinates, and every postcode is valid syntax.
func TestReadNSPLDirReal(t *testing.T) {
	dir := testenv.SharedData(t, "groundtruth", "nspl-2021-sample")
	var n, liveEnglish, withAlliance int
	err := ReadNSPLDir(dir, func(r NSPLRow) error {
		n++
		if p, err := ParsePostcode(r.Postcode); err != nil || p.Kind != FullPostcode || p.Normalised != r.Postcode {
			t.Errorf("postcode %q: %v", r.Postcode, err)
		}
		if r.Country == "E92000001" && !r.Terminated && r.HasLocation {
			liveEnglish++
			if strings.HasPrefix(r.Alliance, "E56") && strings.HasPrefix(r.STP, "E54") {
				withAlliance++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows, %d live English with coordinates", n, liveEnglish)
	if liveEnglish != 27609 {
		t.Errorf("%d live English rows with coordinates, want 27,609", liveEnglish)
	}
	if withAlliance != liveEnglish {
		t.Errorf("%d of %d live English rows have an alliance and STP", withAlliance, liveEnglish)
	}
}
