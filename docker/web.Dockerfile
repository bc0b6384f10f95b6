# syntax=docker/dockerfile:1
# nginx serving the built dashboard and proxying /api, /socket.io and the ops routes to the
# api replicas, with nginx/watchdeck.conf.

# ── build the dashboard ─────────────────────────────────────────────────────────────────────
FROM node:20-bookworm-slim AS build
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

# ── serve it ────────────────────────────────────────────────────────────────────────────────
FROM nginx:1.27-alpine
# Where the api replicas answer: compose's service name, which Docker DNS resolves to every
# replica when nginx starts. Elsewhere (a Kubernetes Service, say) pass --build-arg.
ARG API_UPSTREAM=api:8000
COPY nginx/watchdeck.conf /tmp/watchdeck.conf
RUN sed -e "s|@LISTEN@|8080|" -e "s|@API@|${API_UPSTREAM}|" -e "s|@WEB_ROOT@|/usr/share/nginx/watchdeck|" \
        /tmp/watchdeck.conf > /etc/nginx/conf.d/default.conf \
    && rm /tmp/watchdeck.conf
COPY --from=build /web/dist /usr/share/nginx/watchdeck
EXPOSE 8080
# index.html comes from nginx itself, so this says nginx is up whatever the api does.
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"]
