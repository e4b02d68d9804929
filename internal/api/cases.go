package api

// caseRoutes registers the routes of Casework.
func (s *Server) caseRoutes() {}
