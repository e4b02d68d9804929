// Package exif reads the little a site photo needs from a JPEG's EXIF block:
// when it was taken (DateTimeOriginal, with OffsetTimeOriginal when the
// camera wrote one) and where (the GPS latitude and longitude). It follows
// JPEG APP1 → TIFF header (either byte order) → IFD0 → the Exif and GPS
// sub-IFDs, checks every offset against the data, and never panics on
// malformed input: it answers an error instead.
package exif

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Info is what a photo says about itself. Zero fields were absent.
type Info struct {
	// Captured is DateTimeOriginal; zero when the photo does not say.
	Captured time.Time
	// HasOffset is true when OffsetTimeOriginal gave the zone; otherwise
	// Captured is read in the location the caller passed.
	HasOffset bool
	// HasGPS is true when both latitude and longitude were present and valid.
	HasGPS   bool
	Lat, Lon float64
}

// ErrNoExif means the data is a JPEG without an EXIF block, or not a JPEG.
var ErrNoExif = errors.New("exif: no EXIF data")

// Tags read.
const (
	tagExifIFD            = 0x8769
	tagGPSIFD             = 0x8825
	tagDateTimeOriginal   = 0x9003
	tagOffsetTimeOriginal = 0x9011
	tagGPSLatitudeRef     = 0x0001
	tagGPSLatitude        = 0x0002
	tagGPSLongitudeRef    = 0x0003
	tagGPSLongitude       = 0x0004
)

// TIFF field types used.
const (
	typeASCII    = 2
	typeLong     = 4
	typeRational = 5
)

// maxEntries bounds the entries read from one IFD, so a forged count cannot
// make the reader loop for long.
const maxEntries = 1000

// Read returns what the EXIF block of the JPEG b says. A capture time
// without OffsetTimeOriginal is read in loc (nil means UTC).
func Read(b []byte, loc *time.Location) (Info, error) {
	tiff, err := app1(b)
	if err != nil {
		return Info{}, err
	}
	return parseTIFF(tiff, loc)
}

// app1 finds the EXIF APP1 segment among the JPEG's segments before the image data.
func app1(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, ErrNoExif
	}
	i := 2
	for i+4 <= len(b) {
		if b[i] != 0xFF {
			return nil, fmt.Errorf("exif: JPEG marker expected at byte %d", i)
		}
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			i += 2 // markers without a length
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan / end of image: no EXIF before
			return nil, ErrNoExif
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, fmt.Errorf("exif: JPEG segment at byte %d overruns the file", i)
		}
		seg := b[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:], nil
		}
		i += 2 + n
	}
	return nil, ErrNoExif
}

// reader reads a TIFF structure with bounds checks.
type reader struct {
	b     []byte
	order binary.ByteOrder
}

func (r reader) u16(off int) (int, bool) {
	if off < 0 || off+2 > len(r.b) {
		return 0, false
	}
	return int(r.order.Uint16(r.b[off:])), true
}

func (r reader) u32(off int) (uint32, bool) {
	if off < 0 || off+4 > len(r.b) {
		return 0, false
	}
	return r.order.Uint32(r.b[off:]), true
}

// entry is one IFD entry; its value sits at valueOff (inline or pointed to).
type entry struct {
	typ, count, valueOff int
}

var typeSize = map[int]int{1: 1, typeASCII: 1, 3: 2, typeLong: 4, typeRational: 8, 7: 1, 9: 4, 10: 8}

// ifd reads the entries of the IFD at off, keyed by tag.
func (r reader) ifd(off int) (map[int]entry, error) {
	n, ok := r.u16(off)
	if !ok {
		return nil, fmt.Errorf("exif: IFD offset %d outside the data", off)
	}
	if n > maxEntries {
		return nil, fmt.Errorf("exif: IFD at %d claims %d entries", off, n)
	}
	out := make(map[int]entry, n)
	for k := 0; k < n; k++ {
		e := off + 2 + 12*k
		tag, ok1 := r.u16(e)
		typ, ok2 := r.u16(e + 2)
		count, ok3 := r.u32(e + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("exif: IFD at %d is cut short", off)
		}
		size := typeSize[typ]
		if size == 0 || count > uint32(len(r.b)) {
			continue // unknown type or impossible count: skip the entry
		}
		total := size * int(count)
		valueOff := e + 8
		if total > 4 {
			p, _ := r.u32(e + 8)
			if int64(p)+int64(total) > int64(len(r.b)) {
				continue
			}
			valueOff = int(p)
		}
		out[tag] = entry{typ: typ, count: int(count), valueOff: valueOff}
	}
	return out, nil
}

func (r reader) ascii(e entry) string {
	if e.typ != typeASCII || e.valueOff+e.count > len(r.b) {
		return ""
	}
	s := string(r.b[e.valueOff : e.valueOff+e.count])
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func (r reader) long(e entry) (int, bool) {
	if e.typ != typeLong || e.count != 1 {
		return 0, false
	}
	v, ok := r.u32(e.valueOff)
	return int(v), ok && int64(v) < int64(len(r.b))
}

// degrees reads three rationals (degrees, minutes, seconds) as decimal degrees.
func (r reader) degrees(e entry) (float64, bool) {
	if e.typ != typeRational || e.count != 3 {
		return 0, false
	}
	var parts [3]float64
	for k := range parts {
		num, ok1 := r.u32(e.valueOff + 8*k)
		den, ok2 := r.u32(e.valueOff + 8*k + 4)
		if !ok1 || !ok2 || den == 0 {
			return 0, false
		}
		parts[k] = float64(num) / float64(den)
	}
	return parts[0] + parts[1]/60 + parts[2]/3600, true
}

func parseTIFF(b []byte, loc *time.Location) (Info, error) {
	var info Info
	if len(b) < 8 {
		return info, errors.New("exif: TIFF header cut short")
	}
	r := reader{b: b}
	switch string(b[:2]) {
	case "II":
		r.order = binary.LittleEndian
	case "MM":
		r.order = binary.BigEndian
	default:
		return info, errors.New("exif: TIFF byte order is neither II nor MM")
	}
	if magic, _ := r.u16(2); magic != 42 {
		return info, errors.New("exif: not a TIFF header")
	}
	off, _ := r.u32(4)
	ifd0, err := r.ifd(int(min(off, math.MaxInt32)))
	if err != nil {
		return info, err
	}
	if e, ok := ifd0[tagExifIFD]; ok {
		if p, ok := r.long(e); ok {
			if sub, err := r.ifd(p); err == nil {
				info.Captured, info.HasOffset = captured(r, sub, loc)
			}
		}
	}
	if e, ok := ifd0[tagGPSIFD]; ok {
		if p, ok := r.long(e); ok {
			if sub, err := r.ifd(p); err == nil {
				info.Lat, info.Lon, info.HasGPS = position(r, sub)
			}
		}
	}
	return info, nil
}

// captured reads DateTimeOriginal ("2006:01:02 15:04:05") and its offset.
func captured(r reader, sub map[int]entry, loc *time.Location) (time.Time, bool) {
	s := r.ascii(sub[tagDateTimeOriginal])
	if s == "" {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	hasOffset := false
	if o := r.ascii(sub[tagOffsetTimeOriginal]); o != "" {
		if t, err := time.Parse("-07:00", o); err == nil {
			_, secs := t.Zone()
			loc, hasOffset = time.FixedZone(o, secs), true
		}
	}
	t, err := time.ParseInLocation("2006:01:02 15:04:05", s, loc)
	if err != nil {
		return time.Time{}, false
	}
	return t, hasOffset
}

// position reads the GPS latitude and longitude with their N/S and E/W refs.
func position(r reader, sub map[int]entry) (lat, lon float64, ok bool) {
	lat, ok1 := r.degrees(sub[tagGPSLatitude])
	lon, ok2 := r.degrees(sub[tagGPSLongitude])
	latRef, lonRef := r.ascii(sub[tagGPSLatitudeRef]), r.ascii(sub[tagGPSLongitudeRef])
	if !ok1 || !ok2 || (latRef != "N" && latRef != "S") || (lonRef != "E" && lonRef != "W") {
		return 0, 0, false
	}
	if latRef == "S" {
		lat = -lat
	}
	if lonRef == "W" {
		lon = -lon
	}
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return lat, lon, true
}
