package web

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/nhs-geo/alliance/directory"
)

// orgData is the page of one NHS trust or hospital site.
type orgData struct {
	pageData
	O      *directory.Organisation
	Kind   string // "NHS trust" or "Hospital site"
	Status string // in plain words
	// Areas are those of the default edition its location lies in (none without a location).
	Areas   []directory.Match
	Edition directory.Edition
	// AllianceAreas are the alliances of the default edition that became the one it is a
	// member of (two where alliances merged); AlsoAreas the same for AlsoWith.
	AllianceAreas, AlsoAreas []directory.Area
	MapLink                  string // the map at its location; empty without one
}

// handleOrganisationPage shows a trust or a site (/organisations/{ods}): its address, phone,
// website and status, its Cancer Alliance now, the areas it lies in, and its sites or trust.
func (s *Server) handleOrganisationPage(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	o, areas, err := snap.Organisation(chi.URLParam(r, "ods"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := orgData{pageData: s.basePage(snap, o.Name), O: o, Areas: areas, Edition: snap.DefaultEdition,
		Kind: "NHS trust", Status: orgStatus(o)}
	if o.Kind == directory.KindSite {
		d.Kind = "Hospital site"
	}
	if o.Lat != nil && o.Lon != nil {
		d.MapLink = fmt.Sprintf("/?lat=%.5f&lon=%.5f", *o.Lat, *o.Lon)
	}
	alliances, _ := snap.Areas(snap.DefaultEdition, directory.CancerAlliance)
	for _, a := range alliances {
		if a.Since2024 == nil {
			continue
		}
		if o.Alliance != nil && a.Since2024.Code == o.Alliance.Code {
			d.AllianceAreas = append(d.AllianceAreas, a)
		}
		if o.AlsoWith != nil && a.Since2024.Code == o.AlsoWith.Code {
			d.AlsoAreas = append(d.AlsoAreas, a)
		}
	}
	s.render(w, r, orgPage, http.StatusOK, d)
}

// orgStatus says in words whether a trust (a site: its trust) is open.
func orgStatus(o *directory.Organisation) string {
	whose := ""
	if o.Kind == directory.KindSite {
		whose = "Its trust "
	}
	switch o.Status {
	case "open":
		if whose != "" {
			return "Open (its trust is open)"
		}
		if o.Opened != "" {
			return "Open since " + longDate(o.Opened)
		}
		return "Open"
	case "closed":
		if whose == "" {
			whose = "This trust "
		}
		if o.Closed != "" {
			return whose + "closed on " + longDate(o.Closed)
		}
		return whose + "has closed"
	case "not-in-ods":
		return "Not in the NHS list of trusts (ODS): a member of its Cancer Alliance, but its address is not known here"
	}
	return o.Status
}

// orgListData is the page of an alliance's member trusts (/organisations?alliance=), or of
// every trust by alliance.
type orgListData struct {
	pageData
	Edition directory.Edition
	// Alliance is the alliance asked for, as it stands now; AllianceAreas its areas in the
	// default edition; Trusts its member trusts.
	Alliance      *directory.AllianceRef
	AllianceAreas []directory.Area
	Trusts        []*directory.Organisation
	// Groups are every trust, by the alliance it is a member of (those of none last).
	Groups []orgGroup
}

type orgGroup struct {
	Alliance *directory.AllianceRef
	Areas    []directory.Area
	Trusts   []*directory.Organisation
}

// handleOrganisationsPage lists NHS trusts: the members of one Cancer Alliance (?alliance=
// its code now, its ODS code, or an earlier alliance's code), or every trust by alliance.
func (s *Server) handleOrganisationsPage(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	code := strings.TrimSpace(r.URL.Query().Get("alliance"))
	trusts, err := snap.Organisations(code, directory.KindTrust)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := orgListData{Edition: snap.DefaultEdition}
	// The alliances now, and the default edition's alliances that became each.
	areas, _ := snap.Areas(snap.DefaultEdition, directory.CancerAlliance)
	areasOf := map[string][]directory.Area{}
	for _, a := range areas {
		if a.Since2024 != nil {
			areasOf[a.Since2024.Code] = append(areasOf[a.Since2024.Code], a)
		}
	}
	if code != "" {
		for _, t := range trusts {
			d.Alliance = t.Alliance
			break
		}
		if d.Alliance == nil { // an alliance without trusts: name it from its predecessors
			for _, a := range areas {
				if succ := a.Since2024; succ != nil && (strings.EqualFold(a.Code, code) || strings.EqualFold(succ.Code, code) || strings.EqualFold(succ.ODSCode, code)) {
					d.Alliance = &directory.AllianceRef{Code: succ.Code, Name: succ.Name, ODSCode: succ.ODSCode}
				}
			}
		}
		d.Trusts = trusts
		title := "Hospital trusts"
		if d.Alliance != nil {
			title += " of " + d.Alliance.Name
			d.AllianceAreas = areasOf[d.Alliance.Code]
		}
		d.pageData = s.basePage(snap, title)
		s.render(w, r, orgListPage, http.StatusOK, d)
		return
	}
	byAlliance := map[string]*orgGroup{}
	var none orgGroup
	for _, t := range trusts {
		if t.Alliance == nil {
			none.Trusts = append(none.Trusts, t)
			continue
		}
		g := byAlliance[t.Alliance.Code]
		if g == nil {
			g = &orgGroup{Alliance: t.Alliance, Areas: areasOf[t.Alliance.Code]}
			byAlliance[t.Alliance.Code] = g
		}
		g.Trusts = append(g.Trusts, t)
	}
	for _, g := range byAlliance {
		d.Groups = append(d.Groups, *g)
	}
	sort.Slice(d.Groups, func(i, j int) bool { return d.Groups[i].Alliance.Name < d.Groups[j].Alliance.Name })
	if len(none.Trusts) > 0 {
		d.Groups = append(d.Groups, none)
	}
	d.pageData = s.basePage(snap, "Hospital trusts")
	s.render(w, r, orgListPage, http.StatusOK, d)
}
