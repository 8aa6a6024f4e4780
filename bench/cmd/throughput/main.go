// Command throughput measures the scan engine on a generated file: MB/s,
// records/s, findings, wall time and peak RSS.
//
//	go run ./bench/cmd/throughput -size 200MB [-workers N] [-types cn_id_card,cn_mobile] [-format mixed]
//	go run ./bench/cmd/throughput -size 200MB -compare     # structured-only vs all detectors
//	go run ./bench/cmd/throughput -size 1GB -maxrss 150MB  # memory check: exit 1 if peak RSS is above
//
// The file is generated once under bench/out/ (gitignored) and reused.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"

	"github.com/piiscan/piiscan/bench"
	"github.com/piiscan/piiscan/corpus"
	"github.com/piiscan/piiscan/detectors/pi"
)

func main() {
	size := flag.String("size", "200MB", "input size (KB, MB, GB are powers of 1000)")
	workers := flag.Int("workers", 0, "scan workers (0: GOMAXPROCS)")
	types := flag.String("types", "", "comma-separated types to detect (default: all registered); \"structured\" for the structured set")
	format := flag.String("format", string(corpus.FormatMixed), "generated format: mixed (mostly neutral text), dense (PI every ~130 bytes), text, log, csv-zh, csv-en, jsonl, sql, decoys")
	dir := flag.String("dir", "bench/out", "where generated inputs are cached")
	file := flag.String("file", "", "scan this file instead of a generated one")
	seed := flag.Uint64("seed", 1, "generator seed")
	compare := flag.Bool("compare", false, "run structured-only, then all detectors, and print the ratio")
	maxRSS := flag.String("maxrss", "", "fail (exit 1) if peak RSS exceeds this, e.g. 150MB")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the scan(s) to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "throughput:", err)
			os.Exit(1)
		}
		defer f.Close()
		stopProfile = func() { pprof.StopCPUProfile() }
		startProfile = func() { pprof.StartCPUProfile(f) }
	}
	if err := run(*size, *workers, *types, *format, *dir, *file, *seed, *compare, *maxRSS); err != nil {
		stopProfile()
		fmt.Fprintln(os.Stderr, "throughput:", err)
		os.Exit(1)
	}
	stopProfile()
}

// The profile covers the scans only, not generating the input.
var startProfile, stopProfile = func() {}, func() {}

func parseTypes(s string) []pi.TypeID {
	switch s {
	case "":
		return nil
	case "structured":
		return bench.Registered(bench.StructuredTypes)
	}
	var ts []pi.TypeID
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			ts = append(ts, pi.TypeID(t))
		}
	}
	return ts
}

func run(sizeS string, workers int, typesS, format, dir, file string, seed uint64, compare bool, maxRSSs string) error {
	size, err := corpus.ParseSize(sizeS)
	if err != nil {
		return err
	}
	path := file
	if path == "" {
		fmt.Fprintf(os.Stderr, "preparing %s input of %s in %s ...\n", format, sizeS, dir)
		if path, err = bench.EnsureFile(dir, corpus.Format(format), seed, size); err != nil {
			return err
		}
	}
	// Generation's garbage is not the scan's: return it and restart the peak.
	runtime.GC()
	debug.FreeOSMemory()
	rssReset := bench.ResetPeakRSS() == nil
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	st, _ := os.Stat(path)
	fmt.Printf("input     %s (%d bytes), %d workers, GOMAXPROCS %d\n", path, st.Size(), workers, runtime.GOMAXPROCS(0))

	startProfile()
	runOne := func(label string, types []pi.TypeID) (bench.Result, error) {
		eng, err := bench.NewEngine(types, workers)
		if err != nil {
			return bench.Result{}, err
		}
		r, err := bench.ScanFile(context.Background(), eng, path)
		if err != nil {
			return r, err
		}
		fmt.Printf("%-10s %8.1f MB/s wall  %7.1f MB/s per CPU-second  %10.0f records/s  %9d findings  %7.2fs wall  %7.2fs CPU  %d records  %d input errors\n",
			label, r.MBps(), r.MBPerCPUSecond(), r.RecordsPerSec(), r.Findings, r.Wall.Seconds(), r.CPU.Seconds(), r.Records, r.Errors)
		return r, nil
	}
	if compare {
		s, err := runOne("structured", bench.Registered(bench.StructuredTypes))
		if err != nil {
			return err
		}
		a, err := runOne("all", nil)
		if err != nil {
			return err
		}
		fmt.Printf("ratio     all/structured = %.2f wall, %.2f CPU (issue 3 wants >= 0.60)\n", a.MBps()/s.MBps(), a.MBPerCPUSecond()/s.MBPerCPUSecond())
	} else if _, err := runOne("scan", parseTypes(typesS)); err != nil {
		return err
	}
	peak := bench.PeakRSS()
	note := ""
	if !rssReset {
		note = " (includes input generation: clear_refs unavailable)"
	}
	fmt.Printf("peak RSS  %.1f MB (VmHWM)%s\n", float64(peak)/1e6, note)
	if maxRSSs != "" {
		limit, err := corpus.ParseSize(maxRSSs)
		if err != nil {
			return err
		}
		if peak > limit {
			return fmt.Errorf("peak RSS %.1f MB is above %s", float64(peak)/1e6, maxRSSs)
		}
	}
	return nil
}
