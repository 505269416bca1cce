<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>ConnectPage</name>
    <message>
        <source>Connect this till to the venue's server. Scan the QR code the back office shows for this till, or type the server's address and the enrolment code.</source>
        <translation>Подключите эту кассу к серверу заведения. Отсканируйте QR-код, который бэк-офис показывает для этой кассы, или введите адрес сервера и код подключения.</translation>
    </message>
    <message>
        <source>Scan the QR code here (or paste it)</source>
        <translation>Отсканируйте QR-код сюда (или вставьте его)</translation>
    </message>
    <message>
        <source>optional: the server's CA certificate (.pem)</source>
        <translation>необязательно: сертификат УЦ сервера (.pem)</translation>
    </message>
    <message>
        <source>Allow unencrypted http:// to another computer (only on a network you trust)</source>
        <translation>Разрешить незашифрованный http:// к другому компьютеру (только в доверенной сети)</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Подключить</translation>
    </message>
    <message>
        <source>Work without a server for now</source>
        <translation>Пока работать без сервера</translation>
    </message>
    <message>
        <source>QR code</source>
        <translation>QR-код</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>Код подключения</translation>
    </message>
    <message>
        <source>CA certificate</source>
        <translation>Сертификат УЦ</translation>
    </message>
    <message>
        <source>The till's token will be kept in this computer's keyring.</source>
        <translation>Токен кассы будет храниться в хранилище ключей этого компьютера.</translation>
    </message>
    <message>
        <source>This computer has no usable keyring, so the till's token will be kept in the file %1, readable only by this computer's user of the till (mode 0600). Whoever can sign in as that user can read it.</source>
        <translation>На этом компьютере нет доступного хранилища ключей, поэтому токен кассы будет храниться в файле %1, который может читать только пользователь кассы на этом компьютере (права 0600). Любой, кто может войти под этим пользователем, сможет его прочитать.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Подключение к %1…</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>Looking for devices…</source>
        <translation>Поиск устройств…</translation>
    </message>
    <message>
        <source>Scan something now: a keyboard scanner types it here</source>
        <translation>Отсканируйте что-нибудь сейчас: сканер-клавиатура введёт это сюда</translation>
    </message>
    <message>
        <source>Finish and open the till</source>
        <translation>Готово, открыть кассу</translation>
    </message>
    <message>
        <source>Serial ports: %1</source>
        <translation>Последовательные порты: %1</translation>
    </message>
    <message>
        <source>No serial ports found on this computer.</source>
        <translation>На этом компьютере не найдено последовательных портов.</translation>
    </message>
    <message>
        <source>USB devices: %1</source>
        <translation>USB-устройства: %1</translation>
    </message>
    <message>
        <source>No USB scanners or card readers found (or they cannot be listed).</source>
        <translation>USB-сканеры и считыватели карт не найдены (или их нельзя перечислить).</translation>
    </message>
    <message>
        <source>Set the receipt printer below (a network printer by its address) and press “Print a test page”; a serial or USB scanner's reading shows under “Show the last scan”.</source>
        <translation>Настройте чековый принтер ниже (сетевой — по его адресу) и нажмите «Напечатать тестовую страницу»; то, что прочитал сканер на последовательном порту или USB, видно по кнопке «Показать последнее сканирование».</translation>
    </message>
    <message>
        <source>Read: %1 (%2 characters). The scanner works.</source>
        <translation>Прочитано: %1 (символов: %2). Сканер работает.</translation>
    </message>
</context>
<context>
    <name>SetupTexts</name>
    <message>
        <source>This is not a Tillkeeper enrolment code. Scan the QR code the back office shows for this till, or type the server's address and the code below.</source>
        <translation>Это не код подключения Tillkeeper. Отсканируйте QR-код, который бэк-офис показывает для этой кассы, или введите адрес сервера и код ниже.</translation>
    </message>
    <message>
        <source>The server's address must look like https://server.example:8765. Check it with whoever runs the server.</source>
        <translation>Адрес сервера должен выглядеть как https://server.example:8765. Уточните его у того, кто обслуживает сервер.</translation>
    </message>
    <message>
        <source>This address starts with http://, so the till's token and managers' PINs would cross the network unencrypted. Use the server's https:// address, or, on a network you trust, tick “Allow unencrypted http://”.</source>
        <translation>Адрес начинается с http://, и токен кассы и PIN-коды менеджеров шли бы по сети незашифрованными. Укажите адрес сервера с https:// или, если сеть доверенная, отметьте «Разрешить незашифрованный http://».</translation>
    </message>
    <message>
        <source>The certificate file does not exist. Choose the server's CA certificate (a .pem file) or leave the field empty.</source>
        <translation>Файла сертификата нет. Укажите сертификат УЦ сервера (файл .pem) или оставьте поле пустым.</translation>
    </message>
    <message>
        <source>The server does not answer. Check the address and the port, that the server is running and that this computer is on the network, then press Connect again.</source>
        <translation>Сервер не отвечает. Проверьте адрес и порт, что сервер запущен и что этот компьютер подключён к сети, затем снова нажмите «Подключить».</translation>
    </message>
    <message>
        <source>Something at this address answered, but not as a Tillkeeper server does. Check the address and the port; if they are right, the server has a problem: give its administrator the answer below.</source>
        <translation>По этому адресу что-то ответило, но не так, как отвечает сервер Tillkeeper. Проверьте адрес и порт; если они верны, на сервере проблема: передайте его администратору ответ ниже.</translation>
    </message>
    <message>
        <source>The server's certificate was not accepted. If the venue uses its own certificate, give its CA file (.pem) under “CA certificate”; otherwise check the address.</source>
        <translation>Сертификат сервера не принят. Если у заведения свой сертификат, укажите файл его УЦ (.pem) в поле «Сертификат УЦ»; иначе проверьте адрес.</translation>
    </message>
    <message>
        <source>The server does not know this enrolment code, or it has been used already. Check the code, or ask for a new one (pos-server terminal add NAME).</source>
        <translation>Сервер не знает этот код подключения, или он уже использован. Проверьте код или попросите новый (pos-server terminal add ИМЯ).</translation>
    </message>
    <message>
        <source>This enrolment code has expired. Ask for a new one (pos-server terminal add NAME) and enter it.</source>
        <translation>Срок действия этого кода подключения истёк. Попросите новый (pos-server terminal add ИМЯ) и введите его.</translation>
    </message>
    <message>
        <source>This terminal has been revoked on the server. Add it again there for a new code.</source>
        <translation>Этот терминал отозван на сервере. Добавьте его там заново, чтобы получить новый код.</translation>
    </message>
    <message>
        <source>The till's token could not be kept. Check that this user may write to the data folder, then press Connect again.</source>
        <translation>Не удалось сохранить токен кассы. Проверьте, что этот пользователь может писать в папку данных, затем снова нажмите «Подключить».</translation>
    </message>
    <message>
        <source>This data folder is already enrolled with a server. Close this window and start the till again.</source>
        <translation>Эта папка данных уже подключена к серверу. Закройте окно и запустите кассу снова.</translation>
    </message>
    <message>
        <source>This data folder already holds sales of another terminal. Start the till with a new data folder (--data-dir) to enrol it.</source>
        <translation>В этой папке данных уже есть продажи другого терминала. Запустите кассу с новой папкой данных (--data-dir), чтобы подключить её.</translation>
    </message>
    <message>
        <source>The server refused the enrolment. Give the administrator the server's answer below.</source>
        <translation>Сервер отказал в подключении. Передайте администратору ответ сервера ниже.</translation>
    </message>
    <message>
        <source>The till is enrolled, but the venue's data could not be fetched. Press Retry; once running, the till also fetches it by itself.</source>
        <translation>Касса подключена, но данные заведения получить не удалось. Нажмите «Повторить»; работающая касса также получит их сама.</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Что-то пошло не так: %1</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up this till</source>
        <translation>Настройка кассы</translation>
    </message>
    <message>
        <source>Step 1 of 3: connect to the server</source>
        <translation>Шаг 1 из 3: подключение к серверу</translation>
    </message>
    <message>
        <source>Step 2 of 3: the venue</source>
        <translation>Шаг 2 из 3: заведение</translation>
    </message>
    <message>
        <source>Step 3 of 3: printer and scanner</source>
        <translation>Шаг 3 из 3: принтер и сканер</translation>
    </message>
</context>
<context>
    <name>VenuePage</name>
    <message>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Далее</translation>
    </message>
    <message>
        <source>Venue name (on the screen and receipts)</source>
        <translation>Название заведения (на экране и в чеках)</translation>
    </message>
    <message>
        <source>This till works without a server for now: its sales wait on this computer. To connect it later, start it with --server URL --enrol-code CODE.</source>
        <translation>Эта касса пока работает без сервера: её продажи ждут на этом компьютере. Чтобы подключить её позже, запустите её с --server URL --enrol-code КОД.</translation>
    </message>
    <message>
        <source>Enrolled as terminal “%1” with %2.</source>
        <translation>Подключена как терминал «%1» к %2.</translation>
    </message>
    <message>
        <source>Its token is kept in this computer's keyring.</source>
        <translation>Её токен хранится в хранилище ключей этого компьютера.</translation>
    </message>
    <message>
        <source>Its token is kept in the file %1 (readable only by this user).</source>
        <translation>Её токен хранится в файле %1 (читать его может только этот пользователь).</translation>
    </message>
    <message>
        <source>Fetching the venue's data from the server…</source>
        <translation>Получение данных заведения с сервера…</translation>
    </message>
    <message>
        <source>Time zone: %1</source>
        <translation>Часовой пояс: %1</translation>
    </message>
    <message>
        <source>Products: %1 · guest groups: %2 · staff: %3 · guests: %4</source>
        <translation>Товары: %1 · группы гостей: %2 · сотрудники: %3 · гости: %4</translation>
    </message>
    <message>
        <source>Terminal: %1</source>
        <translation>Терминал: %1</translation>
    </message>
</context>
</TS>