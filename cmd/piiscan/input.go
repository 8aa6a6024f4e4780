package main

import (
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/piiscan/piiscan/connectors"
	"github.com/piiscan/piiscan/detectors"
	"github.com/piiscan/piiscan/detectors/pi"
)

// inputFlags are the options scan and mask share: what to read and how to
// detect PI in it. Both commands embed them, so the flags mean the same
// everywhere.
type inputFlags struct {
	types       []string
	workers     int
	include     []string
	exclude     []string
	rules       string
	scanDate    string
	maxRecord   int
	inputFormat string
	encoding    string
	csvHeader   string
}

func (in *inputFlags) add(fl *pflag.FlagSet) {
	fl.StringSliceVar(&in.types, "types", nil, "only these PI types (comma-separated type IDs; default all)")
	fl.IntVar(&in.workers, "workers", 0, "detection goroutines (default: number of CPUs)")
	fl.StringSliceVar(&in.include, "include", nil, "only files (or schema.table[.column] for databases) matching these globs")
	fl.StringSliceVar(&in.exclude, "exclude", nil, "skip files (or schema.table[.column]) matching these globs")
	fl.StringVar(&in.rules, "rules", "", "YAML file of custom detection rules")
	fl.StringVar(&in.scanDate, "scan-date", "", "date (YYYY-MM-DD) used for birth-date checks and minors (default today)")
	fl.IntVar(&in.maxRecord, "max-record-bytes", connectors.DefaultMaxRecordBytes, "longest line/record read as one; longer lines are split at a safe boundary")
	fl.StringVar(&in.inputFormat, "input-format", "auto", "file format: auto, text, csv, tsv, json, jsonl or sql")
	fl.StringVar(&in.encoding, "encoding", "auto", "file encoding: auto, utf-8 or gb18030")
	fl.StringVar(&in.csvHeader, "csv-header", "auto", "CSV/TSV first row: yes (column names), no (data; columns #1, #2, ...) or auto (data when it holds PI)")
}

// detectorSet builds the detectors the flags select.
func (in *inputFlags) detectorSet(minConfidence float32) (*detectors.Set, error) {
	opts := detectors.Options{MinConfidence: minConfidence, RulesFile: in.rules}
	for _, t := range in.types {
		opts.Types = append(opts.Types, pi.TypeID(strings.TrimSpace(t)))
	}
	if in.scanDate != "" {
		d, err := time.ParseInLocation("2006-01-02", in.scanDate, time.Local)
		if err != nil {
			return nil, usageErr("--scan-date: want YYYY-MM-DD: %v", err)
		}
		opts.Now = d
	}
	set, err := detectors.NewSet(opts)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return set, nil
}

// fileOptions are the file-reading options the flags select.
func (in *inputFlags) fileOptions() connectors.Options {
	return connectors.Options{
		Include:        in.include,
		Exclude:        in.exclude,
		MaxRecordBytes: in.maxRecord,
		Format:         in.inputFormat,
		Encoding:       in.encoding,
		CSVHeader:      in.csvHeader,
	}
}
