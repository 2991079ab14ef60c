package directory

import (
	"fmt"
	"testing"

	"github.com/nhs-geo/alliance/data"
	"github.com/nhs-geo/alliance/internal/testenv"
	"github.com/paulmach/orb"
)

// nsplEngland reads the live English postcodes with coordinates of the NSPL sample.
func nsplEngland(t *testing.T) []data.NSPLRow {
	t.Helper()
	dir := testenv.SharedData(t, "groundtruth", "nspl-2021-sample")
	var rows []data.NSPLRow
	err := data.ReadNSPLDir(dir, func(r data.NSPLRow) error {
		if !r.Terminated && r.HasLocation && r.Country == englandCode {
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20000 {
		t.Fatalf("only %d live English postcodes in %s", len(rows), dir)
	}
	return rows
}

// accuracy tallies answers against ONS's for one layer.
type accuracy struct {
	layer      AreaType
	total      int
	agree      int
	unanswered []string
	far        []string // disagreements more than 500 m from the right area
	nearest    int
	district   int // answered by district (the postcode path)
}

func (a *accuracy) String() string {
	return fmt.Sprintf("%-16s %6d postcodes, %6d agree (%.3f %%), %d by district, %d by nearest area, %d unanswered, %d disagreements over 500 m from ONS's area",
		a.layer, a.total, a.agree, 100*float64(a.agree)/float64(a.total), a.district, a.nearest, len(a.unanswered), len(a.far))
}

// check records one answer m (ok false: none) for a postcode at p whose ONS code is want.
func (a *accuracy) check(l *Layer, p orb.Point, pc string, m Match, ok bool, want string) {
	a.total++
	switch {
	case !ok:
		a.unanswered = append(a.unanswered, pc)
	case m.Code == want:
		a.agree++
	default:
		if !withinOf(l, p, want, 500) {
			a.far = append(a.far, fmt.Sprintf("%s: got %s, ONS %s", pc, m.Code, want))
		}
	}
	switch {
	case ok && m.Match == MatchNearest:
		a.nearest++
	case ok && m.Match == MatchDistrict:
		a.district++
	}
}

// withinOf reports whether the area code of layer l lies within metres of p.
func withinOf(l *Layer, p orb.Point, code string, metres float64) bool {
	for _, h := range l.Index.Near(p, metres) {
		if l.areas[h.Area].Code == code {
			return true
		}
	}
	return false
}

func (a *accuracy) require(t *testing.T, minShare float64) {
	t.Helper()
	t.Log(a)
	if share := float64(a.agree) / float64(a.total); share < minShare {
		t.Errorf("%s: %.3f %% agree with ONS, want at least %.1f %%", a.layer, 100*share, 100*minShare)
	}
	if len(a.unanswered) > 0 {
		t.Errorf("%s: %d postcodes got no answer, e.g. %v", a.layer, len(a.unanswered), a.unanswered[:min(5, len(a.unanswered))])
	}
	if len(a.far) > 0 {
		t.Errorf("%s: %d disagreements lie over 500 m from ONS's area, e.g. %v", a.layer, len(a.far), a.far[:min(5, len(a.far))])
	}
}

// TestAccuracyPointsNSPL looks up every live English postcode of the NSPL sample at ONS's own
// coordinates in edition 2021, and compares the alliance and STP with ONS's.
func TestAccuracyPointsNSPL(t *testing.T) {
	s := realSnapshot(t)
	rows := nsplEngland(t)
	alliances, _ := s.Layer("2021", CancerAlliance)
	stps, _ := s.Layer("2021", STP)
	ca, stp := &accuracy{layer: CancerAlliance}, &accuracy{layer: STP}
	for _, r := range rows {
		p := orb.Point{r.Lon, r.Lat}
		m, ok := s.matchLayer(alliances, p)
		ca.check(alliances, p, r.Postcode, m, ok, r.Alliance)
		m, ok = s.matchLayer(stps, p)
		stp.check(stps, p, r.Postcode, m, ok, r.STP)
	}
	ca.require(t, 0.995)
	stp.require(t, 0.995)
}

// TestAccuracyPostcodesNSPL looks up the same postcodes through the postcode path in edition
// 2021: by district where the official lookup puts the district wholly in one area, else by
// Code-Point Open's 2025 location in the polygons.
func TestAccuracyPostcodesNSPL(t *testing.T) {
	s := realSnapshot(t)
	rows := nsplEngland(t)
	alliances, _ := s.Layer("2021", CancerAlliance)
	stps, _ := s.Layer("2021", STP)
	ca, stp := &accuracy{layer: CancerAlliance}, &accuracy{layer: STP}
	located, bySector, missing := 0, 0, 0
	var leftEngland []string
	for _, r := range rows {
		res, err := s.LookupPostcode(r.Postcode, "2021")
		ans := res.Full
		if err == nil && !ans.InEngland {
			// Code-Point Open 2025 places it outside England: its answer is the England-only
			// statement, which counts as a disagreement but not as a missing answer.
			leftEngland = append(leftEngland, fmt.Sprintf("%s (now %s)", r.Postcode, ans.Country.Name))
			ca.total++
			stp.total++
			continue
		}
		var am, sm Match
		var aok, sok bool
		if err == nil {
			for _, m := range ans.Areas {
				switch m.Type {
				case CancerAlliance:
					am, aok = m, true
				case STP:
					sm, sok = m, true
				}
			}
			if ans.Location == "postcode" {
				located++
			} else {
				bySector++
			}
		} else {
			missing++
		}
		p := orb.Point{r.Lon, r.Lat}
		ca.check(alliances, p, r.Postcode, am, aok, r.Alliance)
		stp.check(stps, p, r.Postcode, sm, sok, r.STP)
	}
	t.Logf("postcode path: %d located by Code-Point, %d by their sector (terminated since 2021), %d unknown, %d now outside England %v",
		located, bySector, missing, len(leftEngland), leftEngland)
	ca.require(t, 0.999)
	stp.require(t, 0.999)
}

// TestAccuracyOutsideEngland checks the NSPL sample's live Welsh and Scottish postcodes: each
// gets its country and the England-only statement, except within 500 m of England, where
// the generalised borders may disagree.
func TestAccuracyOutsideEngland(t *testing.T) {
	s := realSnapshot(t)
	dir := testenv.SharedData(t, "groundtruth", "nspl-2021-sample")
	england, _ := s.Layer("2021", CancerAlliance)
	total, right, border := 0, 0, 0
	var wrong []string
	err := data.ReadNSPLDir(dir, func(r data.NSPLRow) error {
		if r.Terminated || !r.HasLocation || (r.Country != "W92000004" && r.Country != "S92000003") {
			return nil
		}
		total++
		p := orb.Point{r.Lon, r.Lat}
		ans, err := s.LookupPoint(p, "2021")
		switch {
		case err == nil && !ans.InEngland && ans.Country.Code == r.Country && ans.Statement != "":
			right++
		case len(england.Index.Near(p, 500)) > 0:
			border++
		default:
			wrong = append(wrong, fmt.Sprintf("%s: %v %+v", r.Postcode, err, ans))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d live Welsh and Scottish postcodes: %d answered with their country, %d within 500 m of England answered otherwise, %d wrong", total, right, border, len(wrong))
	if total < 5000 || len(wrong) > 0 {
		t.Errorf("%d postcodes, wrong: %v", total, wrong[:min(5, len(wrong))])
	}
}
