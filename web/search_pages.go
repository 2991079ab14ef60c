package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/nhs-geo/alliance/directory"
)

// searchPage is GET /search?q=: the map page's search box without JavaScript. It lists what the
// query matches, as GET /api/v1/search does, with where each is answered and, where the server
// can say it at once, the Cancer Alliance of each (a council's with their shares).
var searchPage = page("search.html")

// searchPageResults is how many results the page lists at most.
const searchPageResults = 20

type searchPageData struct {
	pageData
	Query string
	// Problem says what to do with a query that cannot be searched (a 400).
	Problem string
	Results []searchItem
	// Searched is true once a query was searched (so "no match" can be said).
	Searched bool
	Edition  directory.Edition // the default edition, whose alliances the answers name
}

// searchItem is one result as the page shows it.
type searchItem struct {
	Name, Href string
	Kind       string // in words: "Hospital", "Cancer Alliance (2021 boundaries)"
	Detail     string // a place's council, a site's trust, an alliance's change in 2024
	// AllianceLabel heads Alliances: "Cancer Alliance", "Cancer Alliances", "On the 2023
	// boundaries"…
	AllianceLabel string
	Alliances     []allianceLink
	Note          string // a plain statement: outside England, not a member of an alliance
	MapHref       string // the same on the map, when Href is not already the map
}

type allianceLink struct {
	Name, Href string
	Share      string // of a council's or an outcode's postcodes; empty when all
}

// searchKinds names the kinds of results in words.
var searchKinds = map[string]string{
	directory.SearchPostcode: "Postcode", directory.SearchOutcode: "Postcode district", directory.SearchSector: "Postcode sector",
	directory.SearchTrust: "NHS trust", directory.SearchSite: "Hospital", directory.SearchCouncil: "Council", directory.SearchPlace: "Place",
	string(directory.CancerAlliance): "Cancer Alliance", string(directory.ICB): "Integrated Care Board (local NHS area)",
	string(directory.STP): "STP / ICS footprint (local NHS area)", string(directory.SubICB): "Sub-ICB location",
	string(directory.CCG): "Clinical Commissioning Group", string(directory.NHSRegion): "NHS England region",
}

// searchKind says what a result is, with the edition of an area not of the default one.
func searchKind(r directory.SearchResult) string {
	k := searchKinds[r.Kind]
	if k == "" {
		k = r.Kind
	}
	switch {
	case r.Kind == string(directory.CancerAlliance) && strings.HasPrefix(r.Path, "/organisations?"):
		return "Cancer Alliance since April 2024"
	case r.Older:
		return k + " (" + string(r.Edition) + " boundaries)"
	}
	return k
}

// handleSearchPage answers GET /search?q=: an HTML list of what the query matches. A missing,
// repeated, empty, over-long or unreadable query is a 400 page that says what to do; no match
// is a 200 with advice.
func (s *Server) handleSearchPage(w http.ResponseWriter, r *http.Request) {
	snap := snapshotFrom(r)
	d := searchPageData{pageData: s.basePage(snap, "Search"), Edition: snap.DefaultEdition}
	// Search is not in the menu: no item of it is the current page.
	for i := range d.NavItems {
		d.NavItems[i].Current = false
	}
	vals := r.URL.Query()["q"]
	switch {
	case len(vals) == 0 || (len(vals) == 1 && strings.TrimSpace(vals[0]) == ""):
		d.Problem = "Enter a postcode, a place, a hospital, an NHS trust, a council or an NHS area to search for."
	case len(vals) > 1:
		d.Query = vals[0]
		d.Problem = "Search for one thing at a time: the address asks for " + fmt.Sprint(len(vals)) + " searches at once."
	case !utf8.ValidString(vals[0]):
		d.Problem = "Some of the characters of your search could not be read. Type it again."
	case utf8.RuneCountInString(vals[0]) > directory.MaxSearchQuery:
		d.Query = vals[0]
		d.Problem = fmt.Sprintf("Your search is %d characters long. Search for %d characters or fewer: a postcode, or part of a name, is enough.", utf8.RuneCountInString(vals[0]), directory.MaxSearchQuery)
	}
	if d.Problem == "" {
		d.Query = vals[0]
		results, err := snap.Search(d.Query, searchPageResults)
		if err != nil {
			// The query has no letters or digits (Search's only other refusal).
			d.Problem = "Enter a postcode, a place, a hospital, an NHS trust, a council or an NHS area to search for: letters or numbers, not only punctuation."
		} else {
			d.Searched = true
			d.Results = s.searchItems(snap, results)
		}
	}
	switch {
	case d.Problem != "":
		d.Title = "Error: Search"
		s.render(w, r, searchPage, http.StatusBadRequest, d)
		return
	case len(d.Results) == 0:
		d.Title = "No match for " + clipRunes(d.Query, 60)
	default:
		d.Title = "Search results for " + clipRunes(d.Query, 60)
	}
	s.render(w, r, searchPage, http.StatusOK, d)
}

// searchItems turns search results into what the page shows: postcodes and places answered at
// once (their alliance in the default edition), councils with their alliances and shares, trusts
// and sites with the alliance they are members of.
func (s *Server) searchItems(snap *directory.Snapshot, results []directory.SearchResult) []searchItem {
	def := snap.DefaultEdition
	// The default edition's alliances that became each alliance of 2024 (two where they merged).
	areasNow := map[string][]directory.Area{}
	if alliances, err := snap.Areas(def, directory.CancerAlliance); err == nil {
		for _, a := range alliances {
			if a.Since2024 != nil {
				areasNow[a.Since2024.Code] = append(areasNow[a.Since2024.Code], a)
			}
		}
	}
	areaLink := func(code, name string, e directory.Edition) allianceLink {
		return allianceLink{Name: name, Href: "/alliances/" + code + "?edition=" + string(e)}
	}
	nowLinks := func(code string) []allianceLink {
		var out []allianceLink
		for _, a := range areasNow[code] {
			out = append(out, areaLink(a.Code, a.Name, def))
		}
		return out
	}
	items := make([]searchItem, 0, len(results))
	for _, r := range results {
		it := searchItem{Name: r.Name, Href: r.Path, Kind: searchKind(r), Detail: r.Detail}
		switch r.Kind {
		case directory.SearchPostcode, directory.SearchOutcode, directory.SearchSector:
			it.Detail = ""
			if r.Kind != directory.SearchPostcode {
				it.Detail = r.Detail // "595 live postcodes"
			}
			s.answerPostcode(snap, r.Code, &it, areaLink)
		case directory.SearchPlace:
			if r.Detail != "" {
				it.Detail = "in " + r.Detail
			}
			if r.Lat != nil && r.Lon != nil {
				if p, err := directory.ParsePoint(*r.Lat, *r.Lon); err == nil {
					if ans, err := snap.LookupPoint(p, def); err == nil {
						answerAlliances(ans, &it, areaLink)
					}
				}
			}
		case directory.SearchCouncil:
			it.Href, it.MapHref = "", r.Path
			for _, a := range r.Alliances {
				l := areaLink(a.Code, a.Name, def)
				if len(r.Alliances) > 1 {
					// Listed only where some of its postcodes are: never "0 %".
					l.Share = share(a.Share, 1) + " of its postcodes"
				}
				it.Alliances = append(it.Alliances, l)
			}
			it.AllianceLabel = "Cancer Alliance"
			if len(it.Alliances) > 1 {
				it.AllianceLabel = "Its postcodes are split between these Cancer Alliances"
			} else if len(it.Alliances) == 0 {
				it.Note = "No Cancer Alliance covers it: Cancer Alliances cover England only."
			}
		case directory.SearchTrust, directory.SearchSite:
			if r.Kind == directory.SearchSite && r.Detail != "" {
				it.Detail = "run by " + r.Detail
			}
			if r.Lat != nil && r.Lon != nil {
				it.MapHref = "/?code=" + r.Code
			}
			if len(r.Alliances) == 0 {
				it.Note = "Not a member of a Cancer Alliance."
				break
			}
			a := r.Alliances[0]
			it.AllianceLabel = "Cancer Alliance (since April 2024)"
			links := nowLinks(a.Code)
			if len(links) == 1 {
				links[0].Name = a.Name
				it.Alliances = links
			} else {
				it.Alliances = []allianceLink{{Name: a.Name, Href: "/organisations?alliance=" + a.Code}}
			}
		case string(directory.CancerAlliance):
			if strings.HasPrefix(r.Path, "/organisations?") {
				// An alliance as it stands since 2024: its trusts, and its areas on the boundaries.
				it.Detail = "its hospital trusts are listed on its page"
				if links := nowLinks(r.Code); len(links) > 0 {
					it.AllianceLabel = "On the " + string(def) + " boundaries"
					it.Alliances = links
				}
			}
		case string(directory.SubICB), string(directory.CCG), string(directory.NHSRegion):
			// Their path is the API's: the map shows them to a person.
			it.Href = "/?code=" + r.Code + "&edition=" + string(r.Edition)
		}
		if strings.HasPrefix(it.Href, "/?") {
			it.MapHref = ""
		}
		items = append(items, it)
	}
	return items
}

// answerPostcode adds the alliance (or, for an outcode or sector, the alliances with their
// shares) of a postcode in the default edition.
func (s *Server) answerPostcode(snap *directory.Snapshot, code string, it *searchItem, areaLink func(code, name string, e directory.Edition) allianceLink) {
	res, err := snap.LookupPostcode(code, snap.DefaultEdition)
	if err != nil {
		it.Note = errorBody(err).Message
		return
	}
	if res.Full != nil {
		answerAlliances(res.Full.Answer, it, areaLink)
		return
	}
	p := res.Partial
	var alliances []directory.AreaShare
	for _, a := range p.Areas {
		if a.Type == directory.CancerAlliance {
			alliances = append(alliances, a)
		}
	}
	for _, a := range alliances {
		l := areaLink(a.Code, a.Name, p.Edition)
		if len(alliances) > 1 {
			l.Share = share(a.Share, a.Postcodes) + " of its postcodes"
		}
		it.Alliances = append(it.Alliances, l)
	}
	switch len(alliances) {
	case 0:
		it.Note = "None of its postcodes are in England: Cancer Alliances cover England only."
	case 1:
		it.AllianceLabel = "Cancer Alliance"
	default:
		it.AllianceLabel = "Its postcodes are split between these Cancer Alliances"
	}
}

// answerAlliances adds the alliance of a point's answer, or says why there is none.
func answerAlliances(ans *directory.Answer, it *searchItem, areaLink func(code, name string, e directory.Edition) allianceLink) {
	if ans == nil {
		return
	}
	for _, m := range ans.Areas {
		if m.Type == directory.CancerAlliance {
			it.AllianceLabel = "Cancer Alliance"
			it.Alliances = []allianceLink{areaLink(m.Code, m.Name, ans.Edition)}
			return
		}
	}
	if ans.Statement != "" {
		it.Note = ans.Statement
	} else {
		it.Note = "No Cancer Alliance covers it."
	}
}

// clipRunes shortens s to n characters (not bytes), marking the cut.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
