// Package exiftest builds JPEG photos with an EXIF block, for tests and
// fixtures: a real image (image/jpeg) with an APP1 segment assembled by hand,
// in either byte order.
package exiftest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// Photo describes the EXIF block to write; empty fields are left out.
type Photo struct {
	BigEndian bool
	// DateTimeOriginal as the camera writes it, e.g. "2022:06:15 09:30:00".
	DateTimeOriginal string
	// OffsetTimeOriginal, e.g. "+08:00".
	OffsetTimeOriginal string
	// GPS position in decimal degrees, written with N/S and E/W refs.
	GPS      bool
	Lat, Lon float64
	// Size is the image's width and height in pixels (default 64).
	Size int
}

// JPEG returns a small JPEG picture with p's EXIF block.
func JPEG(p Photo) []byte {
	size := p.Size
	if size == 0 {
		size = 64
	}
	// A building site: sky, ground, and a grey block going up.
	w, h := size*4/3, size
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(120 + 80*y/h), uint8(170 + 60*y/h), 235, 255}
			switch {
			case y > h*2/3:
				c = color.RGBA{150, 120, 80, 255}
			case x > w/3 && x < w*2/3 && y > h/4:
				c = color.RGBA{160, 160, 165, 255}
				if (x/(max(w/24, 1)))%2 == 0 && (y/(max(h/16, 1)))%2 == 0 {
					c = color.RGBA{90, 110, 140, 255} // windows
				}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return Insert(buf.Bytes(), APP1(p))
}

// Insert puts an APP1 segment right after the JPEG's SOI marker.
func Insert(jpg, app1 []byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)
	return append(out, jpg[2:]...)
}

// order writes in either byte order.
type order interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

type field struct {
	tag, typ uint16
	count    uint32
	data     []byte // the value bytes; inline when ≤ 4
}

// APP1 assembles the EXIF APP1 segment (marker and length included).
func APP1(p Photo) []byte {
	var o order = binary.LittleEndian
	head := []byte("II\x2a\x00")
	if p.BigEndian {
		o, head = binary.BigEndian, []byte("MM\x00\x2a")
	}
	ascii := func(tag uint16, s string) field {
		b := append([]byte(s), 0)
		return field{tag: tag, typ: 2, count: uint32(len(b)), data: b}
	}
	long := func(tag uint16, v uint32) field {
		b := make([]byte, 4)
		o.PutUint32(b, v)
		return field{tag: tag, typ: 4, count: 1, data: b}
	}
	dms := func(tag uint16, deg float64) field {
		deg = math.Abs(deg)
		d := math.Floor(deg)
		m := math.Floor((deg - d) * 60)
		s := (deg - d - m/60) * 3600
		b := make([]byte, 24)
		o.PutUint32(b[0:], uint32(d))
		o.PutUint32(b[4:], 1)
		o.PutUint32(b[8:], uint32(m))
		o.PutUint32(b[12:], 1)
		o.PutUint32(b[16:], uint32(math.Round(s*10000)))
		o.PutUint32(b[20:], 10000)
		return field{tag: tag, typ: 5, count: 3, data: b}
	}
	var exifFields, gpsFields []field
	if p.DateTimeOriginal != "" {
		exifFields = append(exifFields, ascii(0x9003, p.DateTimeOriginal))
	}
	if p.OffsetTimeOriginal != "" {
		exifFields = append(exifFields, ascii(0x9011, p.OffsetTimeOriginal))
	}
	if p.GPS {
		ns, ew := "N", "E"
		if p.Lat < 0 {
			ns = "S"
		}
		if p.Lon < 0 {
			ew = "W"
		}
		gpsFields = []field{ascii(1, ns), dms(2, p.Lat), ascii(3, ew), dms(4, p.Lon)}
	}
	ifdSize := func(fs []field) int {
		n := 2 + 12*len(fs) + 4
		for _, f := range fs {
			if len(f.data) > 4 {
				n += len(f.data)
			}
		}
		return n
	}
	// Layout: header (8) | IFD0 | Exif IFD | GPS IFD.
	ifd0 := []field{ascii(0x010f, "Gongjian")} // Make
	exifOff := 0
	gpsOff := 0
	if len(exifFields) > 0 {
		ifd0 = append(ifd0, long(0x8769, 0))
	}
	if len(gpsFields) > 0 {
		ifd0 = append(ifd0, long(0x8825, 0))
	}
	off := 8 + ifdSize(ifd0)
	if len(exifFields) > 0 {
		exifOff = off
		off += ifdSize(exifFields)
	}
	if len(gpsFields) > 0 {
		gpsOff = off
	}
	for i := range ifd0 {
		switch ifd0[i].tag {
		case 0x8769:
			o.PutUint32(ifd0[i].data, uint32(exifOff))
		case 0x8825:
			o.PutUint32(ifd0[i].data, uint32(gpsOff))
		}
	}
	tiff := append([]byte{}, head...)
	tiff = o.AppendUint32(tiff, 8)
	writeIFD := func(fs []field) {
		start := len(tiff)
		extra := start + 2 + 12*len(fs) + 4
		tiff = o.AppendUint16(tiff, uint16(len(fs)))
		var tail []byte
		for _, f := range fs {
			tiff = o.AppendUint16(tiff, f.tag)
			tiff = o.AppendUint16(tiff, f.typ)
			tiff = o.AppendUint32(tiff, f.count)
			if len(f.data) <= 4 {
				v := make([]byte, 4)
				copy(v, f.data)
				tiff = append(tiff, v...)
				continue
			}
			tiff = o.AppendUint32(tiff, uint32(extra+len(tail)))
			tail = append(tail, f.data...)
		}
		tiff = o.AppendUint32(tiff, 0) // no next IFD
		tiff = append(tiff, tail...)
	}
	writeIFD(ifd0)
	if len(exifFields) > 0 {
		writeIFD(exifFields)
	}
	if len(gpsFields) > 0 {
		writeIFD(gpsFields)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}
