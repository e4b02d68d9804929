package exif_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"os"
	"testing"
	"time"

	"gongjian/internal/exif"
	"gongjian/internal/exif/exiftest"
)

var shanghai = time.FixedZone("CST", 8*3600)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestReadBothByteOrders(t *testing.T) {
	for _, big := range []bool{false, true} {
		// 区住建局's site at 31°14'24"N 121°28'48"E, taken 15 June 2022 09:30 Beijing time.
		b := exiftest.JPEG(exiftest.Photo{BigEndian: big, DateTimeOriginal: "2022:06:15 09:30:00", OffsetTimeOriginal: "+08:00",
			GPS: true, Lat: 31.24, Lon: 121.48})
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("big=%v: the test photo is not a valid JPEG: %v", big, err)
		}
		info, err := exif.Read(b, time.UTC)
		if err != nil {
			t.Fatalf("big=%v: %v", big, err)
		}
		want := time.Date(2022, 6, 15, 1, 30, 0, 0, time.UTC)
		if !info.Captured.Equal(want) || !info.HasOffset {
			t.Errorf("big=%v: captured %v (offset %v), want %v", big, info.Captured, info.HasOffset, want)
		}
		if !info.HasGPS || !near(info.Lat, 31.24) || !near(info.Lon, 121.48) {
			t.Errorf("big=%v: position %v %v,%v, want 31.24,121.48", big, info.HasGPS, info.Lat, info.Lon)
		}
	}
}

func TestReadSouthWestAndNoOffset(t *testing.T) {
	b := exiftest.JPEG(exiftest.Photo{BigEndian: true, DateTimeOriginal: "2023:01:02 03:04:05", GPS: true, Lat: -33.8568, Lon: -70.5})
	info, err := exif.Read(b, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	// Without OffsetTimeOriginal the time is read in the caller's zone: 03:04:05 +08:00 = 19:04:05 UTC the day before.
	if want := time.Date(2023, 1, 1, 19, 4, 5, 0, time.UTC); !info.Captured.Equal(want) || info.HasOffset {
		t.Errorf("captured %v (offset %v), want %v", info.Captured, info.HasOffset, want)
	}
	if !near(info.Lat, -33.8568) || !near(info.Lon, -70.5) {
		t.Errorf("position %v,%v, want -33.8568,-70.5", info.Lat, info.Lon)
	}
}

func TestReadWithoutExifOrGPS(t *testing.T) {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	if _, err := exif.Read(buf.Bytes(), nil); err != exif.ErrNoExif {
		t.Errorf("plain JPEG: err %v, want ErrNoExif", err)
	}
	if _, err := exif.Read([]byte("MZ\x90\x00 not a photo"), nil); err != exif.ErrNoExif {
		t.Errorf("an .exe: err %v, want ErrNoExif", err)
	}
	info, err := exif.Read(exiftest.JPEG(exiftest.Photo{DateTimeOriginal: "2022:03:01 08:00:00"}), nil)
	if err != nil || info.HasGPS || info.Captured.IsZero() {
		t.Errorf("time only: %+v %v", info, err)
	}
	info, err = exif.Read(exiftest.JPEG(exiftest.Photo{GPS: true, Lat: 30, Lon: 120}), nil)
	if err != nil || !info.HasGPS || !info.Captured.IsZero() {
		t.Errorf("GPS only: %+v %v", info, err)
	}
}

func TestReadMalformed(t *testing.T) {
	good := exiftest.JPEG(exiftest.Photo{DateTimeOriginal: "2022:06:15 09:30:00", GPS: true, Lat: 31, Lon: 121})
	// Every truncation and every single-byte corruption of the EXIF block
	// answers without panicking.
	app := exiftest.APP1(exiftest.Photo{DateTimeOriginal: "2022:06:15 09:30:00", GPS: true, Lat: 31, Lon: 121})
	for n := 0; n < 2+len(app)+4; n++ {
		_, _ = exif.Read(good[:n], nil)
	}
	for i := 2; i < 2+len(app); i++ {
		for _, v := range []byte{0x00, 0xFF, 0x7F} {
			b := append([]byte{}, good...)
			b[i] = v
			_, _ = exif.Read(b, nil)
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(exiftest.JPEG(exiftest.Photo{DateTimeOriginal: "2022:06:15 09:30:00", OffsetTimeOriginal: "+08:00", GPS: true, Lat: 31, Lon: 121, Size: 8}))
	f.Add(exiftest.JPEG(exiftest.Photo{BigEndian: true, GPS: true, Lat: -1, Lon: -2, Size: 8}))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := exif.Read(b, nil)
		if err == nil && info.HasGPS && (math.Abs(info.Lat) > 90 || math.Abs(info.Lon) > 180) {
			t.Errorf("impossible position %v,%v", info.Lat, info.Lon)
		}
	})
}

// The browser journey's site photo (web/e2e/fixtures/site.jpg) says when and
// where it was taken; GONGJIAN_WRITE_FIXTURES=1 writes it afresh.
func TestE2EFixture(t *testing.T) {
	const path = "../../web/e2e/fixtures/site.jpg"
	if os.Getenv("GONGJIAN_WRITE_FIXTURES") == "1" {
		b := exiftest.JPEG(exiftest.Photo{DateTimeOriginal: "2022:12:20 10:15:00", OffsetTimeOriginal: "+08:00", GPS: true, Lat: 30.2741, Lon: 120.1551, Size: 240})
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 30<<10 {
		t.Errorf("fixture is %d bytes, keep it under 30 KB", len(b))
	}
	info, err := exif.Read(b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2022, 12, 20, 2, 15, 0, 0, time.UTC); !info.Captured.Equal(want) || !near(info.Lat, 30.2741) || !near(info.Lon, 120.1551) {
		t.Errorf("fixture: %+v", info)
	}
}
