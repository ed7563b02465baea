// A small map of where the person said it is (the ticket's coordinates), on OpenStreetMap tiles.
// Loaded only by tickets that have coordinates (React.lazy), so Leaflet is not in the main bundle.
// The tiles come from the internet (the page's CSP allows https images); without a connection the
// map is grey and the coordinates and link beside it still say where.
import 'leaflet/dist/leaflet.css';
import { CircleMarker, MapContainer, TileLayer } from 'react-leaflet';

export default function PlaceMap({ latitude, longitude, label }: { latitude: number; longitude: number; label: string }) {
  // MapContainer passes only id, className and style to its element: the name is on a region around it.
  return (
    <div role="region" aria-label={label} data-testid="place-map">
      <MapContainer center={[latitude, longitude]} zoom={16} scrollWheelZoom={false} style={{ height: 220, width: '100%', borderRadius: 4 }}>
        <TileLayer
          url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
          attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
          maxZoom={19}
        />
        {/* A circle rather than Leaflet's marker image, which bundlers do not find. */}
        <CircleMarker center={[latitude, longitude]} radius={9} pathOptions={{ color: '#e03131', fillOpacity: 0.6 }} />
      </MapContainer>
    </div>
  );
}
