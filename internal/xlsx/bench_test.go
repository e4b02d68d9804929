package xlsx

import (
	"bytes"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const benchRows = 100_000

// peakHeap samples the heap while fn runs and reports the peak above the
// heap in use before it, in MiB.
func peakHeap(fn func()) float64 {
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-done
	if peak < base.HeapInuse {
		return 0
	}
	return float64(peak-base.HeapInuse) / (1 << 20)
}

func benchRow(i int) []any {
	return []any{fmt.Sprintf("XM-%06d", i), fmt.Sprintf("重点项目第%d号", i), "重点项目", "区住建局", 1234.5 + float64(i), time.Date(2022, 9, 8, 0, 0, 0, 0, time.UTC)}
}

var benchHeader = []Column{{Header: "事项编码"}, {Header: "事项名称"}, {Header: "事项类型"}, {Header: "牵头单位"}, {Header: "总投资（万元）"}, {Header: "开始日期"}}

func benchFile(b *testing.B) []byte {
	b.Helper()
	w, err := New("事项", benchHeader)
	if err != nil {
		b.Fatal(err)
	}
	for i := range benchRows {
		if err := w.Row(benchRow(i)...); err != nil {
			b.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func report(b *testing.B, peak float64) {
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-MiB")
}

// BenchmarkExport100k: our streamed export (Writer: Safe text, date styles).
func BenchmarkExport100k(b *testing.B) {
	var peak float64
	for b.Loop() {
		peak = max(peak, peakHeap(func() { benchFile(b) }))
	}
	report(b, peak)
}

// BenchmarkRawWrite100k: excelize's own StreamWriter with the same cells.
func BenchmarkRawWrite100k(b *testing.B) {
	var peak float64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			f := excelize.NewFile()
			sw, _ := f.NewStreamWriter("Sheet1")
			for i := range benchRows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				_ = sw.SetRow(cell, benchRow(i))
			}
			_ = sw.Flush()
			var buf bytes.Buffer
			_, _ = f.WriteTo(&buf)
		}))
	}
	report(b, peak)
}

// BenchmarkRawRead100k: excelize's own streaming row iterator over the file.
func BenchmarkRawRead100k(b *testing.B) {
	data := benchFile(b)
	var peak float64
	b.ResetTimer()
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			f, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := f.Rows("事项")
			n := 0
			for rows.Next() {
				_, _ = rows.Columns(excelize.Options{RawCellValue: true})
				n++
			}
			rows.Close()
			f.Close()
			if n != benchRows+1 {
				b.Fatalf("read %d rows", n)
			}
		}))
	}
	report(b, peak)
}

// BenchmarkImportRead100k: what an import does before the database: Open
// (limits, zip-bomb check), Table (header), and the cell parsers for code,
// amount and date on every row.
func BenchmarkImportRead100k(b *testing.B) {
	data := benchFile(b)
	fields := []Field{{Key: "code", Labels: []string{"事项编码"}, Required: true}, {Key: "amount", Labels: []string{"总投资（万元）"}},
		{Key: "start", Labels: []string{"开始日期"}}, {Key: "unit", Labels: []string{"牵头单位"}}}
	var peak float64
	b.ResetTimer()
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			bk, err := Open(bytes.NewReader(data), DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			err = bk.Table("事项", fields, func(r Record) error {
				if r.Get("code") == "" {
					return fmt.Errorf("row %d: no code", r.Row)
				}
				if _, err := ParseYuan(r.Get("amount"), "万元"); err != nil {
					return err
				}
				if _, err := ParseDate(r.Get("start")); err != nil {
					return err
				}
				n++
				return nil
			})
			bk.Close()
			if err != nil || n != benchRows {
				b.Fatalf("imported %d rows: %v", n, err)
			}
		}))
	}
	report(b, peak)
}
