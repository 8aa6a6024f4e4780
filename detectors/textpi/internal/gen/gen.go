// Package gen holds the generated tables that detectors/textpi embeds. The
// files are produced by ./generate from named public sources (see README.md
// one directory up); edit the generator, never the tables.
package gen

//go:generate go run ./generate -out . -src ./generate

import _ "embed"

// Surnames is surnames.tsv: surname, number of dictionary names with it, score.
//
//go:embed surnames.tsv
var Surnames string

// Given is given.tsv: character, number of given names with it, score.
//
//go:embed given.tsv
var Given string

// StopWords is stopwords.txt: common words starting with a surname character.
//
//go:embed stopwords.txt
var StopWords string

// Divisions is divisions.tsv: GB/T 2260 code, level, name, short form.
//
//go:embed divisions.tsv
var Divisions string

// TailWords is tailwords.txt: frequent two-rune words ending in a surname rune.
//
//go:embed tailwords.txt
var TailWords string
