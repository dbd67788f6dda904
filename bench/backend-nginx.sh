#!/usr/bin/env bash
# backend-nginx.sh DIR: starts the benchmarks' backend, one nginx worker pinned to CPU1 (CPUS), listening on
# 127.0.0.1:18081 and :18082 and answering /small with 100 bytes and /16k with 16,384 bytes (a GET, or a POST
# answered as a GET), with its configuration, files and pid (DIR/nginx.pid) under DIR. nginx runs as a
# daemon: the caller stops it with kill "$(cat DIR/nginx.pid)".
set -euo pipefail
dir=${1:?usage: backend-nginx.sh DIR}
CPUS=${CPUS:-1}
mkdir -p "$dir/www"
chmod 755 "$dir"   # nginx's workers read /16k under it
head -c 16384 /dev/zero | tr '\0' x > "$dir/www/16k"
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/client-body; proxy_temp_path $dir/proxy; fastcgi_temp_path $dir/fcgi;
  uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:18081; listen 127.0.0.1:18082;
    location /small { return 200 "$(printf '%0100d' 0)"; }
    location /16k { root $dir/www; error_page 405 =200 \$uri; }
  }
}
CONF
taskset -c "$CPUS" nginx -c "$dir/nginx.conf"
