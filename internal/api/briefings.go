package api

// briefingRoutes registers the routes of Briefings.
func (s *Server) briefingRoutes() {}
