package data

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameAcronyms are written in capitals by ReadableName, whatever their case in the input.
var nameAcronyms = map[string]bool{
	"NHS": true, "NHSE": true, "NHSBT": true, "ICB": true, "ICS": true, "CCG": true, "PCT": true,
	"STP": true, "CSU": true, "UK": true, "GP": true, "CIC": true, "HQ": true, "ENT": true,
	"ICU": true, "ITU": true, "MRI": true, "II": true, "III": true, "IV": true,
}

// nameSmallWords are written in lower case by ReadableName except at the start of a name or
// of a part of it (after "(", ":" or a spaced dash).
var nameSmallWords = map[string]bool{
	"a": true, "an": true, "and": true, "as": true, "at": true, "by": true, "for": true,
	"from": true, "in": true, "into": true, "of": true, "on": true, "or": true, "the": true,
	"to": true, "under": true, "upon": true, "via": true, "with": true,
}

// nameCompoundWords are also lower case inside hyphenated place names: Weston-super-Mare,
// Chester-le-Street, Ashby-de-la-Zouch.
var nameCompoundWords = map[string]bool{"le": true, "la": true, "de": true, "en": true, "super": true, "sur": true}

// nameEndings are lower case after an apostrophe inside a word: St George's, Women's, can't.
// Other letters after an apostrophe start a name part: O'Neill, D'Arcy.
var nameEndings = map[string]bool{"s": true, "t": true, "d": true, "ll": true, "re": true, "ve": true, "m": true}

// ReadableName turns an organisation name written in capitals, as NHS ODS publishes it, into
// the mixed case people write:
//
//	SHEFFIELD TEACHING HOSPITALS NHS FOUNDATION TRUST -> Sheffield Teaching Hospitals NHS Foundation Trust
//	GUY'S AND ST THOMAS' NHS FOUNDATION TRUST          -> Guy's and St Thomas' NHS Foundation Trust
//	THE QUEEN ELIZABETH HOSPITAL, KING'S LYNN, NHS ... -> The Queen Elizabeth Hospital, King's Lynn, NHS ...
//
// Words (runs of letters and digits) are capitalised: first letter upper case, the rest lower.
// Words with digits are taken for codes and kept ("ICB - 03N", "M62"), except ordinals ("3RD"
// -> "3rd") and words of four letters or more ("2GETHER" -> "2gether"). Known acronyms (NHS, ICB, CCG, UK, GP, CIC, ...) stay in capitals;
// small words (of, and, the, for, upon, ...) are lower case except at the start of the name,
// after "(" or ":" and after a spaced dash; inside hyphenated names, le, la, de, en and super
// are lower case too (Stoke-on-Trent, Weston-super-Mare). After an apostrophe inside a word,
// s, t, d, ll, re, ve and m are lower case (St George's, Women's) and anything else is
// capitalised (O'Neill); straight (') and curly (’) apostrophes alike.
//
// Only letter case changes: spaces, punctuation, "&" and invalid UTF-8 bytes are kept as they
// are. A word that already holds a lower-case letter is kept as given (McLaren), except that
// acronyms and small words are still put right ("University Hospitals Of Derby And Burton" ->
// "University Hospitals of Derby and Burton"), so the function is idempotent and mixed-case
// input passes through unharmed.
func ReadableName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	prevEnd := -1 // end of the previous word, -1 before the first
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isNameRune(r, size) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		j := i + size
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if !isNameRune(r, size) {
				break
			}
			j += size
		}
		word := s[i:j]
		var sep string
		if prevEnd >= 0 {
			sep = s[prevEnd:i]
		}
		b.WriteString(nameWord(word, sep, prevEnd < 0))
		prevEnd = j
		i = j
	}
	return b.String()
}

func isNameRune(r rune, size int) bool {
	return !(r == utf8.RuneError && size <= 1) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// nameWord cases one word given the text since the previous word (sep) and whether it is the
// first word of the name.
func nameWord(word, sep string, first bool) string {
	lower := strings.ToLower(word)
	if !first && (sep == "'" || sep == "’") {
		if nameEndings[lower] {
			return lower
		}
		return capitalise(word)
	}
	if nameAcronyms[strings.ToUpper(word)] {
		return strings.ToUpper(word)
	}
	start := first
	if t := strings.TrimSpace(sep); strings.ContainsAny(t, "(:") || (t == "-" || t == "–") && t != sep {
		start = true
	}
	if !start && (nameSmallWords[lower] || sep == "-" && nameCompoundWords[lower]) {
		return lower
	}
	return capitalise(word)
}

// capitalise writes an all-capitals word with a capital first letter and the rest lower case;
// a word holding a lower-case letter is returned as it is. Words with digits are codes (03N,
// M62, R0A) and kept, except ordinals (3RD -> 3rd) and words of four letters or more (2GETHER
// -> 2gether).
func capitalise(word string) string {
	letters, digits := 0, 0
	for _, r := range word {
		switch {
		case unicode.IsLower(r):
			return word
		case unicode.IsDigit(r):
			digits++
		default:
			letters++
		}
	}
	if digits > 0 && letters > 0 && letters < 4 {
		j := strings.LastIndexFunc(word, unicode.IsDigit)
		_, size := utf8.DecodeRuneInString(word[j:])
		head, tail := word[:j+size], word[j+size:]
		if nameOrdinals[tail] && strings.IndexFunc(head, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
			return strings.ToLower(word)
		}
		return word
	}
	r, size := utf8.DecodeRuneInString(word)
	return string(unicode.ToUpper(r)) + strings.ToLower(word[size:])
}

// nameOrdinals are the endings of ordinal numbers: 1ST, 2ND, 3RD, 4TH.
var nameOrdinals = map[string]bool{"ST": true, "ND": true, "RD": true, "TH": true}
